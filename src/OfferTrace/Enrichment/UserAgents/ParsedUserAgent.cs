namespace OfferTrace.Enrichment.UserAgents;

public sealed record ParsedUserAgent(
    string? DeviceType, string? DeviceBrand, string? DeviceModel, string? Os, string? OsVersion, string? Browser, string? BrowserVersion,
    bool IsBot, bool IsAutomation);
