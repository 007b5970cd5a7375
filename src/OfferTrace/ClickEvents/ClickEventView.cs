using OfferTrace.Common;
using OfferTrace.Fraud;

namespace OfferTrace.ClickEvents;

/// <summary>A stored click event as the admin list shows it: the 24 data points, what the server derived, the signals.</summary>
public sealed record ClickEventView(
    string EventId, string CreatedAt, string SiteId, string EventType, string? ElementId, string? Fingerprint, string Ip, string? UserAgent,
    string? Gclid, string? Gbraid, string? Wbraid, string? Campaign, string? Source, string? Medium, string? Keyword, int? LocalHour, int? LocalDay,
    long? TimeOnPage, string? Location, bool? IsWebdriver, string? ScreenRes, string? BrowserTz, int? HumanScore, double? DeviceMemory,
    int? HardwareConcurrency, string? ConnectionType, string? PageUrl, string? ReferrerUrl, decimal? Value, string? Currency, string? CountryCode,
    string? City, long? Asn, string? AsOrg, bool IsDatacenter, bool IsTor, bool IsVpn, bool IsProxy, string? DeviceType, string? Os, string? Browser,
    int FraudScore, string FraudStatus, IReadOnlyList<FraudSignalView> Signals)
{
    public static ClickEventView From(DbRow r, IReadOnlyList<FraudSignalView> signals) => new(
        r.Str("event_id"), Timestamps.Format(r.Long("created_at")), r.Str("site_id"), r.Str("event_type"), r.StrOrNull("element_id"),
        r.StrOrNull("fingerprint"), r.Str("ip"), r.StrOrNull("user_agent"), r.StrOrNull("gclid"), r.StrOrNull("gbraid"), r.StrOrNull("wbraid"),
        r.StrOrNull("campaign"), r.StrOrNull("source"), r.StrOrNull("medium"), r.StrOrNull("keyword"), r.IntOrNull("local_hour"), r.IntOrNull("local_day"),
        r.LongOrNull("time_on_page"), r.StrOrNull("location"), r.BoolOrNull("is_webdriver"), r.StrOrNull("screen_res"), r.StrOrNull("browser_tz"),
        r.IntOrNull("human_score"), r.DoubleOrNull("device_memory"), r.IntOrNull("hardware_concurrency"), r.StrOrNull("connection_type"),
        r.StrOrNull("page_url"), r.StrOrNull("referrer_url"), r.LongOrNull("value") is { } v && r.StrOrNull("currency") is { } cur ? MoneyFormat.ToMinor(Money.FromUnits(v), cur) : null,
        r.StrOrNull("currency"), r.StrOrNull("country_code"), r.StrOrNull("city"), r.LongOrNull("asn"), r.StrOrNull("as_org"), r.Bool("is_datacenter"),
        r.Bool("is_tor"), r.Bool("is_vpn"), r.Bool("is_proxy"), r.StrOrNull("device_type"), r.StrOrNull("os"), r.StrOrNull("browser"),
        r.Int("fraud_score"), r.Str("fraud_status"), signals);
}
