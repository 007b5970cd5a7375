using System.Text;
using System.Text.Json;
using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.ClickEvents;

/// <summary>
/// The admin side of ad-click forensics: the event list (<c>site_id</c>, <c>event_type</c>, <c>from</c>, <c>to</c>,
/// cursor-paginated, each event with its signals), the reports (JSON, or CSV with <c>format=csv</c>) and the campaign
/// cost upload.
/// </summary>
public static class ClickEventsAdminApi
{
    public static void MapClickEventsAdmin(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/click-events").WithTags("Ad-click forensics");
        group.MapGet("/", ListAsync);

        group.MapGet("/reports/low-spec", (HttpContext http, ClickEventReports reports, TimeProvider time, CancellationToken ct) =>
            ReportAsync(http, time, async q => await reports.LowSpecAsync(q, ct), "low-spec.csv",
                ["event_id", "created_at", "site_id", "event_type", "ip", "user_agent", "os", "browser", "device_type", "device_memory",
                    "hardware_concurrency", "screen_res", "campaign", "contradictions", "fraud_score", "fraud_status"],
                r => [r.EventId, r.CreatedAt, r.SiteId, r.EventType, r.Ip, r.UserAgent, r.Os, r.Browser, r.DeviceType, r.DeviceMemory,
                    r.HardwareConcurrency, r.ScreenRes, r.Campaign, r.Contradictions, r.FraudScore, r.FraudStatus]));

        group.MapGet("/reports/honeypot", (HttpContext http, ClickEventReports reports, TimeProvider time, CancellationToken ct) =>
            ReportAsync(http, time, async q => await reports.HoneypotAsync(q, ct), "honeypot.csv",
                ["ip", "hits", "first_seen", "last_seen", "user_agents", "asn", "as_org", "country_code", "blocked"],
                r => [r.Ip, r.Hits, r.FirstSeen, r.LastSeen, r.UserAgents, r.Asn, r.AsOrg, r.CountryCode, r.Blocked]));

        group.MapGet("/reports/heatmap", (HttpContext http, ClickEventReports reports, TimeProvider time, CancellationToken ct) =>
            ReportAsync(http, time, async q => await reports.HeatmapAsync(q, ct), "heatmap.csv",
                ["local_day", "local_hour", "events", "flagged"], r => [r.LocalDay, r.LocalHour, r.Events, r.Flagged]));

        group.MapGet("/reports/roi", async (HttpContext http, ClickEventReports reports, TimeProvider time, CancellationToken ct) =>
        {
            var (q, problem) = ClickEventQuery.From(http, time);
            if (problem is not null) return problem;
            var by = http.Request.Query["by"].FirstOrDefault() ?? "campaign";
            if (by is not ("campaign" or "source" or "keyword")) return Problems.Validation("by", "must be campaign, source or keyword");
            var report = await reports.RoiAsync(q!, by, ct);
            if (!q!.Csv) return TypedResults.Ok(report);
            return new CsvResult($"roi-by-{by}.csv", csv =>
            {
                csv.Row(by, "events", "flagged", "bots", "real_conversions", "flagged_percent", $"cost_{report.Currency.ToLowerInvariant()}",
                    "cost_per_real_conversion");
                foreach (var r in report.Rows) csv.Row(r.Key, r.Events, r.Flagged, r.Bots, r.RealConversions, r.FlaggedPercent, r.Cost, r.CostPerRealConversion);
                return Task.CompletedTask;
            });
        });

        admin.MapPost("/campaign-costs", async (HttpRequest request, CampaignCosts costs, CancellationToken ct) =>
        {
            var mediaType = request.ContentType?.Split(';')[0].Trim();
            if (mediaType is not ("text/csv" or "text/plain"))
                return (IResult)Problems.UnsupportedMediaType("Send the costs as text/csv: date,campaign,cost,currency.");
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            return TypedResults.Ok(await costs.ImportAsync(reader, ct));
        }).Accepts<string>("text/csv").WithTags("Ad-click forensics");
    }

    private static async Task<IResult> ReportAsync<T>(HttpContext http, TimeProvider time, Func<ClickEventQuery, Task<List<T>>> load, string fileName,
        string[] header, Func<T, object?[]> cells)
    {
        var (q, problem) = ClickEventQuery.From(http, time);
        if (problem is not null) return problem;
        var rows = await load(q!);
        if (!q!.Csv) return TypedResults.Ok(new ReportRows<T>(rows));
        return new CsvResult(fileName, csv =>
        {
            csv.Row(header);
            foreach (var row in rows) csv.Row(cells(row));
            return Task.CompletedTask;
        });
    }

    private static async Task<IResult> ListAsync(HttpContext http, Database database, TimeProvider time, string? cursor, string? limit, CancellationToken ct)
    {
        var (q, problem) = ClickEventQuery.From(http, time);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        await using var c = await database.OpenAsync(ct);
        var args = new DynamicParameters(q!.Args);
        args.Add("Cursor", cursor);
        var rows = (await c.QueryAsync(
                $"SELECT {ClickEventItem.Columns} FROM click_events WHERE {q.Where()}{(cursor is null ? "" : " AND event_id < @Cursor")} " +
                $"ORDER BY event_id DESC LIMIT {take + 1}", args))
            .Select(DbRow.From).ToList();
        var page = rows.Take(take).ToList();
        var ids = page.Select(r => r.Str("event_id")).ToArray();
        var signals = (ids.Length == 0
            ? []
            : await c.QueryAsync<(string EntityId, string Type, string Severity, int Weight, string Details)>(
                $"SELECT entity_id AS EntityId, type AS Type, severity AS Severity, weight AS Weight, details AS Details FROM offerwall_fraud_signals " +
                $"WHERE entity_id IN ({string.Join(", ", ids.Select((_, i) => "@id" + i))})",
                new DynamicParameters(ids.Select((id, i) => new KeyValuePair<string, object>("id" + i, id)).ToDictionary())))
            .ToLookup(s => s.EntityId);
        var items = page.Select(r => ClickEventView.From(r, signals[r.Str("event_id")]
            .Select(s => new Fraud.FraudSignalView(s.Type, s.Severity, s.Weight, JsonDocument.Parse(s.Details).RootElement.Clone())).ToList())).ToList();
        return TypedResults.Ok(new Page<ClickEventView>(items, rows.Count > take ? ids[^1] : null));
    }
}

public sealed record ReportRows<T>(IReadOnlyList<T> Rows);
