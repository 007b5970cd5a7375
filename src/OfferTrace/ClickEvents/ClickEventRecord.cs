using OfferTrace.Enrichment.Ip;
using OfferTrace.Fraud;

namespace OfferTrace.ClickEvents;

/// <summary>A judged click event: what the browser sent, what the server derived, and the verdict.</summary>
public sealed record ClickEventRecord(
    string EventId, long CreatedAtMs, ClickEventInput Input, string Ip, string? UserAgent, string Source, int? LocalHour, int? LocalDay,
    string? Location, NetworkInfo Network, GeoInfo Geo, string? DeviceType, string? Os, string? Browser, string? Currency,
    FraudVerdict Fraud, Fraud.Blocklist.BlocklistEntry? BlockedByThisEvent);
