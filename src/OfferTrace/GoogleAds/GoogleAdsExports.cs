using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using OfferTrace.Catalog;
using OfferTrace.ClickEvents;
using OfferTrace.Common;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Storage;

namespace OfferTrace.GoogleAds;

/// <summary>
/// The files a site owner hands to Google Ads: offline conversions, retractions of conversions later judged fraud,
/// invalid-click evidence for refund requests and the IP exclusion list.
/// </summary>
public sealed class GoogleAdsExports(Database database, Blocklist blocklist, IOptions<GoogleAdsOptions> options, TimeProvider time)
{
    private readonly GoogleAdsOptions _o = options.Value;

    /// <summary>
    /// Google's click-conversion import template ("Import conversions from clicks", support.google.com/google-ads/answer/7014069):
    /// a <c>Parameters:TimeZone=</c> line, then this header, times as <c>yyyy-MM-dd HH:mm:ss</c> in that time zone.
    /// </summary>
    public const string ConversionHeader = "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency";

    /// <summary>
    /// Google's conversion adjustment template ("How to adjust your conversions", support.google.com/google-ads/answer/7686280),
    /// identified by click id and conversion time; <c>RETRACT</c> removes the conversion, so no adjusted value is given.
    /// </summary>
    public const string RetractionHeader =
        "Google Click ID,Conversion Name,Conversion Time,Adjustment Time,Adjustment Type,Adjusted Value,Adjusted Value Currency";

    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>
    /// The site's real conversions with a Google click id in the range: clean events (no bot, no fraud, no suspicion),
    /// of an event type the site maps to a conversion action, whose click id was first seen inside the conversion window
    /// (Google refuses older clicks), not retracted, the address and device not blocked since; deduplicated on click id,
    /// conversion name and time. Every conversion written is remembered so a later fraud verdict can retract it.
    /// </summary>
    public async Task<List<OfflineConversion>> OfflineConversionsAsync(Site site, ClickEventQuery q, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var windowStart = now.AddDays(-_o.ConversionWindowDays).ToUnixTimeMilliseconds();
        await using var c = await database.OpenAsync(ct);
        var args = new DynamicParameters(q.Args);
        args.Add("WindowStart", windowStart);
        var rows = await c.QueryAsync<(string EventId, long CreatedAt, string Gclid, string EventType, long? Value, string? Currency, string Ip, string? Fingerprint)>(
            "SELECT e.event_id, e.created_at, e.gclid, e.event_type, e.value, e.currency, e.ip, e.fingerprint FROM click_events e " +
            $"WHERE {q.Where("e.")} AND e.gclid IS NOT NULL AND e.fraud_status = 'clean' AND e.event_type <> 'bot_trap' AND e.created_at >= @WindowStart " +
            "AND NOT EXISTS (SELECT 1 FROM click_events o WHERE o.gclid = e.gclid AND o.site_id = e.site_id AND o.created_at < @WindowStart) " +
            "AND NOT EXISTS (SELECT 1 FROM google_ads_exports x WHERE x.event_id = e.event_id AND x.retracted_at IS NOT NULL) " +
            "ORDER BY e.created_at, e.event_id", args);
        var zone = q.Zone;
        var seen = new HashSet<(string, string, string)>();
        var conversions = new List<OfflineConversion>();
        foreach (var r in rows)
        {
            if (!site.Conversions.TryGetValue(r.EventType, out var action)) continue;
            if (blocklist.Find(r.Ip, r.Fingerprint, now.ToUnixTimeMilliseconds()) is not null) continue;
            var at = TimeZoneInfo.ConvertTime(Timestamps.FromMs(r.CreatedAt), zone).ToString(TimeFormat, CultureInfo.InvariantCulture);
            if (!seen.Add((r.Gclid, action.Name, at))) continue;
            var currency = r.Currency ?? site.Currency;
            decimal? value = r.Value is { } units ? Money.FromUnits(units) : action.Value;
            conversions.Add(new OfflineConversion(r.EventId, r.Gclid, action.Name, r.CreatedAt, at, value is { } v ? MoneyFormat.ToMinor(v, currency) : null, currency));
        }
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var x in conversions)
        {
            await c.ExecuteAsync(
                "INSERT INTO google_ads_exports (event_id, gclid, conversion_name, conversion_time, value, currency, exported_at) " +
                "VALUES (@EventId, @Gclid, @Name, @AtMs, @Value, @Currency, @now) ON CONFLICT (event_id) DO NOTHING",
                new { x.EventId, x.Gclid, x.Name, x.AtMs, Value = x.Value is { } v ? Money.ToUnits(v) : 0L, x.Currency, now = now.ToUnixTimeMilliseconds() }, tx);
        }
        await tx.CommitAsync(ct);
        return conversions;
    }

    /// <summary>
    /// Exported conversions judged fraud since: the event's own status is now fraud, another event with the same click id
    /// was fraud, or the address or device is on the blocklist (a honeypot hit blocks it). Each is retracted once.
    /// </summary>
    public async Task<List<Retraction>> RetractionsAsync(Site site, TimeZoneInfo zone, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var c = await database.OpenAsync(ct);
        var exported = await c.QueryAsync<(string EventId, string Gclid, string Name, long AtMs, string Ip, string? Fingerprint, string Status, long FraudSiblings)>(
            "SELECT x.event_id, x.gclid, x.conversion_name, x.conversion_time, e.ip, e.fingerprint, e.fraud_status, " +
            "(SELECT COUNT(*) FROM click_events f WHERE f.gclid = x.gclid AND f.site_id = e.site_id AND f.fraud_status = 'fraud') " +
            "FROM google_ads_exports x JOIN click_events e ON e.event_id = x.event_id " +
            "WHERE e.site_id = @SiteId AND x.retracted_at IS NULL ORDER BY x.conversion_time, x.event_id", new { site.SiteId });
        var adjustedAt = TimeZoneInfo.ConvertTime(now, zone).ToString(TimeFormat, CultureInfo.InvariantCulture);
        var retractions = exported
            .Where(x => x.Status == Fraud.FraudStatus.Fraud || x.FraudSiblings > 0 || blocklist.Find(x.Ip, x.Fingerprint, now.ToUnixTimeMilliseconds()) is not null)
            .Select(x => new Retraction(x.EventId, x.Gclid, x.Name, TimeZoneInfo.ConvertTime(Timestamps.FromMs(x.AtMs), zone).ToString(TimeFormat, CultureInfo.InvariantCulture), adjustedAt))
            .ToList();
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var r in retractions)
            await c.ExecuteAsync("UPDATE google_ads_exports SET retracted_at = @now WHERE event_id = @EventId", new { r.EventId, now = now.ToUnixTimeMilliseconds() }, tx);
        await tx.CommitAsync(ct);
        return retractions;
    }

    /// <summary>Every flagged paid click in the range with the network, device and page it came from and each signal's reason code and evidence.</summary>
    public async Task<List<InvalidClick>> InvalidClicksAsync(ClickEventQuery q, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var events = (await c.QueryAsync(
                "SELECT event_id, created_at, site_id, event_type, gclid, gbraid, wbraid, campaign, keyword, ip, asn, as_org, city, country_code, user_agent, os, " +
                $"browser, page_url, fraud_score, fraud_status FROM click_events WHERE {q.Where()} AND fraud_status <> 'clean' " +
                "AND (gclid IS NOT NULL OR gbraid IS NOT NULL OR wbraid IS NOT NULL) ORDER BY created_at, event_id LIMIT 100000", q.Args))
            .Select(DbRow.From).ToList();
        var signals = (await c.QueryAsync<(string EntityId, string Type, string Severity, int Weight, string Details)>(
                "SELECT s.entity_id, s.type, s.severity, s.weight, s.details FROM offerwall_fraud_signals s JOIN click_events e ON e.event_id = s.entity_id " +
                $"WHERE {q.Where("e.")} AND e.fraud_status <> 'clean' AND s.entity_type = 'click_event'", q.Args))
            .ToLookup(s => s.EntityId);
        return events.Select(r => new InvalidClick(r.Str("event_id"), Timestamps.Format(r.Long("created_at")), r.Str("site_id"), r.Str("event_type"),
                r.StrOrNull("gclid") ?? r.StrOrNull("gbraid") ?? r.StrOrNull("wbraid"), r.StrOrNull("campaign"), r.StrOrNull("keyword"), r.Str("ip"),
                r.LongOrNull("asn"), r.StrOrNull("as_org"), r.StrOrNull("city"), r.StrOrNull("country_code"), r.StrOrNull("user_agent"), r.StrOrNull("os"),
                r.StrOrNull("browser"), r.StrOrNull("page_url"), r.Int("fraud_score"), r.Str("fraud_status"), ReasonCodes.Version,
                signals[r.Str("event_id")].Select(s =>
                {
                    var (code, reason) = ReasonCodes.Of(s.Type);
                    return new InvalidClickReason(code, reason, s.Type, s.Severity, s.Weight, JsonDocument.Parse(s.Details).RootElement.Clone());
                }).OrderByDescending(s => s.Weight).ThenBy(s => s.Code, StringComparer.Ordinal).ToList()))
            .ToList();
    }

    /// <summary>
    /// The worst public addresses of the window by evidence (the summed scores of their flagged events, honeypot hits
    /// first among equals); where enough neighbours in one IPv4 /24 offend, the range <c>a.b.c.*</c> (Google's wildcard
    /// form, support.google.com/google-ads/answer/2456098) replaces them. At most Google's per-campaign limit.
    /// </summary>
    public async Task<List<IpExclusion>> IpExclusionsAsync(string? siteId, int days, CancellationToken ct)
    {
        var from = time.GetUtcNow().AddDays(-days).ToUnixTimeMilliseconds();
        await using var c = await database.OpenAsync(ct);
        var offenders = (await c.QueryAsync<(string Ip, long Events, long Score, long Traps)>(
                "SELECT ip, COUNT(*), SUM(fraud_score), SUM(CASE WHEN event_type = 'bot_trap' THEN 1 ELSE 0 END) FROM click_events " +
                $"WHERE created_at >= @from AND fraud_status <> 'clean'{(siteId is null ? "" : " AND site_id = @siteId")} GROUP BY ip", new { from, siteId }))
            .Where(o => IPAddress.TryParse(o.Ip, out var a) && IpEnricher.IsPublic(a))
            .ToList();
        var entries = new List<IpExclusion>();
        foreach (var group in offenders.GroupBy(o => Slash24(o.Ip) ?? o.Ip))
        {
            var members = group.ToList();
            if (members.Count >= _o.IpExclusionRangeNeighbours && Slash24(members[0].Ip) is { } prefix)
                entries.Add(new IpExclusion(prefix + ".*", members.Count, members.Sum(m => m.Events), members.Sum(m => m.Score), members.Sum(m => m.Traps)));
            else entries.AddRange(members.Select(m => new IpExclusion(m.Ip, 1, m.Events, m.Score, m.Traps)));
        }
        return entries.OrderByDescending(e => e.Score).ThenByDescending(e => e.HoneypotHits).ThenBy(e => e.Entry, StringComparer.Ordinal)
            .Take(_o.IpExclusionMax).ToList();
    }

    private static string? Slash24(string ip) =>
        IPAddress.TryParse(ip, out var a) && a.AddressFamily == AddressFamily.InterNetwork ? ip[..ip.LastIndexOf('.')] : null;
}

public sealed record OfflineConversion(string EventId, string Gclid, string Name, long AtMs, string Time, decimal? Value, string Currency);

public sealed record Retraction(string EventId, string Gclid, string Name, string ConversionTime, string AdjustmentTime);

public sealed record InvalidClick(
    string EventId, string CreatedAt, string SiteId, string EventType, string? ClickId, string? Campaign, string? Keyword, string Ip, long? Asn,
    string? AsOrg, string? City, string? CountryCode, string? UserAgent, string? Os, string? Browser, string? PageUrl, int FraudScore, string FraudStatus,
    string ReasonCodesVersion, IReadOnlyList<InvalidClickReason> Reasons);

public sealed record InvalidClickReason(string Code, string Reason, string Type, string Severity, int Weight, JsonElement Evidence);

public sealed record IpExclusion(string Entry, int Addresses, long Events, long Score, long HoneypotHits);
