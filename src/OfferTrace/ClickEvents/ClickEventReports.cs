using System.Text.Json;
using Dapper;
using OfferTrace.Common;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Ledger;
using OfferTrace.Storage;

namespace OfferTrace.ClickEvents;

/// <summary>The forensic reports over <c>click_events</c>: Report A (low-spec and spoofed devices), Report B (honeypot), heatmap, ROI.</summary>
public sealed class ClickEventReports(Database database, Blocklist blocklist, ExchangeRates rates, TimeProvider time)
{
    private const int MaxRows = 5000;

    /// <summary>The signals whose evidence is a device contradicting its own user agent.</summary>
    private static readonly string[] LowSpecSignals = ["hardware_lie", "impossible_screen", "low_core_desktop"];

    /// <summary>Report A: events whose hardware contradicts the device their user agent claims, each naming its contradictions.</summary>
    public async Task<List<LowSpecRow>> LowSpecAsync(ClickEventQuery q, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync(
            $"SELECT e.event_id, e.created_at, e.site_id, e.event_type, e.ip, e.user_agent, e.os, e.browser, e.device_type, e.device_memory, " +
            $"e.hardware_concurrency, e.screen_res, e.campaign, e.fraud_score, e.fraud_status, s.type, s.details " +
            $"FROM click_events e JOIN offerwall_fraud_signals s ON s.entity_id = e.event_id " +
            $"WHERE {q.Where("e.")} AND s.type IN ('hardware_lie', 'impossible_screen', 'low_core_desktop') " +
            $"ORDER BY e.created_at DESC, e.event_id DESC LIMIT {MaxRows * LowSpecSignals.Length}", q.Args);
        var byEvent = new List<LowSpecRow>();
        foreach (var r in rows.Select(DbRow.From))
        {
            var id = r.Str("event_id");
            if (byEvent.Count == 0 || byEvent[^1].EventId != id)
            {
                if (byEvent.Count == MaxRows) break;
                byEvent.Add(new LowSpecRow(id, Timestamps.Format(r.Long("created_at")), r.Str("site_id"), r.Str("event_type"), r.Str("ip"),
                    r.StrOrNull("user_agent"), r.StrOrNull("os"), r.StrOrNull("browser"), r.StrOrNull("device_type"), r.DoubleOrNull("device_memory"),
                    r.IntOrNull("hardware_concurrency"), r.StrOrNull("screen_res"), r.StrOrNull("campaign"), [], r.Int("fraud_score"), r.Str("fraud_status")));
            }
            var type = r.Str("type");
            if (type == "hardware_lie")
            {
                using var details = JsonDocument.Parse(r.Str("details"));
                foreach (var item in details.RootElement.GetProperty("contradictions").EnumerateArray()) byEvent[^1].Contradictions.Add(item.GetString()!);
            }
            else byEvent[^1].Contradictions.Add(type);
        }
        return byEvent;
    }

    /// <summary>Report B: every honeypot hit, grouped by address with counts, first and last hit, user agents, ASN and whether it is blocked now.</summary>
    public async Task<List<HoneypotRow>> HoneypotAsync(ClickEventQuery q, CancellationToken ct)
    {
        var trap = q with { EventType = ClickEventInput.BotTrap };
        await using var c = await database.OpenAsync(ct);
        var agents = (await c.QueryAsync<(string Ip, string? UserAgent)>(
                $"SELECT ip AS Ip, user_agent AS UserAgent FROM click_events WHERE {trap.Where()} GROUP BY ip, user_agent", trap.Args))
            .GroupBy(r => r.Ip).ToDictionary(g => g.Key, g => g.Select(r => r.UserAgent ?? "").Order(StringComparer.Ordinal).ToList());
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return (await c.QueryAsync(
                $"SELECT ip, COUNT(*) AS hits, MIN(created_at) AS first_seen, MAX(created_at) AS last_seen, MAX(asn) AS asn, MAX(as_org) AS as_org, " +
                $"MAX(country_code) AS country_code FROM click_events WHERE {trap.Where()} GROUP BY ip ORDER BY COUNT(*) DESC, ip LIMIT {MaxRows}", trap.Args))
            .Select(DbRow.From)
            .Select(r => new HoneypotRow(r.Str("ip"), r.Long("hits"), Timestamps.Format(r.Long("first_seen")), Timestamps.Format(r.Long("last_seen")),
                agents.GetValueOrDefault(r.Str("ip")) ?? [], r.LongOrNull("asn"), r.StrOrNull("as_org"), r.StrOrNull("country_code"),
                blocklist.Find(r.Str("ip"), null, now) is not null))
            .ToList();
    }

    /// <summary>Events by the visitor's local weekday (0 = Sunday) and hour, with how many were flagged.</summary>
    public async Task<List<HeatmapCell>> HeatmapAsync(ClickEventQuery q, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        // Read by name, not by constructor: SQLite types an empty result's computed columns as blobs, which no constructor matches.
        return (await c.QueryAsync(
            $"SELECT local_day, local_hour, COUNT(*) AS events, " +
            $"SUM(CASE WHEN fraud_status <> 'clean' THEN 1 ELSE 0 END) AS flagged FROM click_events " +
            $"WHERE {q.Where()} AND local_day IS NOT NULL AND local_hour IS NOT NULL GROUP BY local_day, local_hour ORDER BY local_day, local_hour",
            q.Args))
            .Select(DbRow.From)
            .Select(r => new HeatmapCell(r.Long("local_day"), r.Long("local_hour"), r.Long("events"), r.Long("flagged")))
            .ToList();
    }

    /// <summary>
    /// Events per campaign, source or keyword with the share flagged; per campaign with imported costs, the cost (in the
    /// base currency, at each day's rate) and the cost per real conversion (a clean event that is not a honeypot hit).
    /// </summary>
    public async Task<RoiReport> RoiAsync(ClickEventQuery q, string dimension, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = (await c.QueryAsync<(string? Key, long Events, long Flagged, long Bots, long Real)>(
            $"SELECT {dimension} AS Key, COUNT(*) AS Events, SUM(CASE WHEN fraud_status <> 'clean' THEN 1 ELSE 0 END) AS Flagged, " +
            $"SUM(CASE WHEN fraud_status = 'fraud' THEN 1 ELSE 0 END) AS Bots, " +
            $"SUM(CASE WHEN fraud_status = 'clean' AND event_type <> 'bot_trap' THEN 1 ELSE 0 END) AS Real " +
            $"FROM click_events WHERE {q.Where()} GROUP BY {dimension} ORDER BY COUNT(*) DESC LIMIT {MaxRows}", q.Args)).ToList();

        var costs = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var missingRates = new SortedSet<string>(StringComparer.Ordinal);
        if (dimension == "campaign")
        {
            var zone = q.Zone;
            var fromDate = TimeZoneInfo.ConvertTime(q.Range.From, zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var toDate = TimeZoneInfo.ConvertTime(q.Range.To.AddTicks(-1), zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (date, campaign, units, currency) in await c.QueryAsync<(string, string, long, string)>(
                         "SELECT cost_date, campaign, cost, currency FROM campaign_costs WHERE cost_date >= @fromDate AND cost_date <= @toDate",
                         new { fromDate, toDate }))
            {
                var rate = rates.RateOn(currency, DateTimeOffset.Parse(date + "T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
                if (rate is null or > Ledger.ExchangeRates.MaxRate)
                {
                    missingRates.Add(currency);
                    continue;
                }
                costs[campaign] = costs.GetValueOrDefault(campaign) + Money.FromUnits(units) * rate.Value;
            }
        }
        var baseCurrency = rates.BaseCurrency;
        return new RoiReport(dimension, baseCurrency, rows.Select(r =>
        {
            decimal? cost = r.Key is not null && costs.TryGetValue(r.Key, out var total) ? MoneyFormat.ToMinor(decimal.Round(total, 2, MidpointRounding.AwayFromZero), baseCurrency) : null;
            return new RoiRow(r.Key, r.Events, r.Flagged, r.Bots, r.Real, Percent(r.Flagged, r.Events), cost,
                cost is { } spent && r.Real > 0 ? decimal.Round(spent / r.Real, 2, MidpointRounding.AwayFromZero) : null);
        }).ToList(), missingRates.ToList());
    }

    private static decimal Percent(long part, long whole) =>
        whole == 0 ? 0m : decimal.Round(part * 100m / whole, 2, MidpointRounding.AwayFromZero);
}

public sealed record LowSpecRow(
    string EventId, string CreatedAt, string SiteId, string EventType, string Ip, string? UserAgent, string? Os, string? Browser, string? DeviceType,
    double? DeviceMemory, int? HardwareConcurrency, string? ScreenRes, string? Campaign, List<string> Contradictions, int FraudScore, string FraudStatus);

public sealed record HoneypotRow(
    string Ip, long Hits, string FirstSeen, string LastSeen, IReadOnlyList<string> UserAgents, long? Asn, string? AsOrg, string? CountryCode, bool Blocked);

public sealed record HeatmapCell(long LocalDay, long LocalHour, long Events, long Flagged);

public sealed record RoiReport(string By, string Currency, IReadOnlyList<RoiRow> Rows, IReadOnlyList<string> CurrenciesWithoutRate);

public sealed record RoiRow(
    string? Key, long Events, long Flagged, long Bots, long RealConversions, decimal FlaggedPercent, decimal? Cost, decimal? CostPerRealConversion);
