using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Fraud;

namespace OfferTrace.Tracking.Sessions;

public sealed record DeviceInfo(
    string? Type, string? Brand, string? Model, string? Os, string? OsVersion, string? Browser, string? BrowserVersion,
    string? ScreenResolution, int? ScreenDpi, string? Timezone, string? Language, double? DeviceMemory, int? HardwareConcurrency,
    string? ConnectionType, bool? IsWebdriver, int? TouchPoints);

public sealed record FingerprintInfo(
    string? UserAgent, string? UserAgentHash, string? DeviceId, string? Canvas, string? Webgl, string? Fonts, string? Plugins);

public sealed record UtmInfo(string? Source, string? Medium, string? Campaign, string? Term, string? Content);

/// <summary>A session as stored and returned.</summary>
public sealed record SessionRecord(
    string SessionId, long CreatedAtMs, string UserId, string PublisherId, string PlacementId, string? SubId, DeviceInfo Device,
    FingerprintInfo Fingerprint, NetworkInfo Network, GeoInfo Geo, ReferrerInfo Referrer, UtmInfo Utm, string? Gclid,
    FraudVerdict Fraud, SessionFacts Facts)
{
    public SessionInfo ToInfo() => new(SessionId, CreatedAtMs, UserId, PublisherId, PlacementId, SubId, Device.Type, Device.Os,
        Device.Browser, Fingerprint.DeviceId, Fingerprint.UserAgentHash, Network.Ip, Geo.CountryCode, Network.IsProxy, Network.IsVpn,
        Network.IsTor, Network.IsDatacenter, Facts);
}
