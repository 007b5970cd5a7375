using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Storage;

namespace OfferTrace.ClickEvents;

/// <summary>Writes a click event with its fraud signals and, for a honeypot hit, the block it earns, in one transaction.</summary>
internal sealed class ClickEventItem(ClickEventRecord e, Blocklist blocklist) : IngestItem<ClickEventRecord>
{
    public const string Columns =
        "event_id, created_at, site_id, event_type, element_id, fingerprint, ip, user_agent, gclid, gbraid, wbraid, campaign, source, medium, " +
        "keyword, local_hour, local_day, time_on_page, location, is_webdriver, screen_res, browser_tz, human_score, device_memory, " +
        "hardware_concurrency, connection_type, page_url, referrer_url, value, currency, country_code, city, asn, as_org, is_datacenter, is_tor, " +
        "is_vpn, is_proxy, device_type, os, browser, fraud_score, fraud_status";

    private static readonly SqlStatement Insert = SqlStatement.Insert("click_events", Columns);

    protected override ValueTask<ClickEventRecord> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        var (i, n, g) = (e.Input, e.Network, e.Geo);
        context.Runner.Queue(Insert,
        [
            e.EventId, e.CreatedAtMs, i.SiteId, i.EventType, i.ElementId, i.Fingerprint, e.Ip, e.UserAgent, i.Gclid, i.Gbraid, i.Wbraid, i.Campaign,
            e.Source, i.Medium, i.Keyword, e.LocalHour, e.LocalDay, i.TimeOnPageMs, e.Location, i.IsWebdriver, i.ScreenRes, i.BrowserTz, i.HumanScore,
            i.DeviceMemory, i.HardwareConcurrency, i.ConnectionType, i.PageUrl, i.ReferrerUrl, i.Value is { } v ? Money.ToUnits(v) : null, e.Currency,
            g.CountryCode, g.City, n.Asn, n.Organization, n.IsDatacenter, n.IsTor, n.IsVpn, n.IsProxy, e.DeviceType, e.Os, e.Browser, e.Fraud.Score,
            e.Fraud.Status,
        ]);
        FraudSignalRows.Queue(context.Runner, e.Fraud, "click_event", e.EventId, e.CreatedAtMs, null, null, null, g.CountryCode);
        if (e.BlockedByThisEvent is { } b)
            context.Runner.Queue(Blocklist.RuleUpsert, [b.EntryId, b.Kind, b.Value, b.Reason, b.Source, b.CreatedAt, b.ExpiresAt]);
        return ValueTask.FromResult(e);
    }

    protected override void OnCommitted(ClickEventRecord result)
    {
        if (result.BlockedByThisEvent is { } b) blocklist.Remember(b);
    }
}
