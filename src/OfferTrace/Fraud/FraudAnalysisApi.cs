using System.Text.Json;
using Dapper;
using OfferTrace.Admin;
using OfferTrace.Analytics;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Fraud;

/// <summary>
/// <c>GET /api/admin/offerwall/fraud-analysis</c>: fired signals by type, user, publisher and country, the most recent
/// signals with their evidence, and how sessions, clicks and conversions are spread over scores and statuses, for the
/// analytics range and filters (<c>from</c>, <c>to</c>, <c>tz</c>, <c>publisher_id</c>; a publisher key sees its own).
/// </summary>
public static class FraudAnalysisApi
{
    private const int TopRows = 50;

    public static void MapFraudAnalysis(this RouteGroupBuilder admin)
    {
        admin.MapGroup("/offerwall").WithMetadata(new PublisherReadable())
            .MapGet("/fraud-analysis", async (HttpContext http, Database database, TimeProvider time, CancellationToken ct) =>
            {
                var (filter, problem) = AnalyticsFilter.FromQuery(http, time);
                if (problem is not null) return problem;
                var f = filter!;
                await using var c = await database.OpenAsync(ct);
                var where = "created_at >= @From AND created_at < @To" + (f.PublisherId is null ? "" : " AND publisher_id = @PublisherId");
                var whereAll = where;
                var args = new { From = f.FromMs, To = f.ToMs, f.PublisherId };

                async Task<List<CountRow>> CountBy(string column) =>
                    (await c.QueryAsync<(string? Key, long Count)>(
                        $"SELECT {column} AS Key, COUNT(*) AS Count FROM offerwall_fraud_signals WHERE {where} AND {column} IS NOT NULL GROUP BY {column} ORDER BY COUNT(*) DESC, {column} LIMIT {TopRows}",
                        args)).Select(r => new CountRow(r.Key, r.Count)).ToList();

                var recent = (await c.QueryAsync(
                        $"SELECT signal_id, created_at, entity_type, entity_id, type, severity, weight, user_id, offer_id, publisher_id, country_code, details " +
                        $"FROM offerwall_fraud_signals WHERE {where} ORDER BY created_at DESC, signal_id DESC LIMIT {TopRows}", args))
                    .Select(DbRow.From)
                    .Select(r => new RecentSignal(r.Str("signal_id"), Timestamps.Format(r.Long("created_at")), r.Str("entity_type"), r.Str("entity_id"),
                        r.Str("type"), r.Str("severity"), r.Int("weight"), r.StrOrNull("user_id"), r.StrOrNull("offer_id"), r.StrOrNull("publisher_id"),
                        r.StrOrNull("country_code"), JsonDocument.Parse(r.Str("details")).RootElement.Clone()))
                    .ToList();

                async Task<ScoreSpread> Spread(string table, string? scope = null)
                {
                    var where = scope ?? whereAll;
                    var buckets = new long[10];
                    foreach (var (bucket, count) in await c.QueryAsync<(long Bucket, long Count)>(
                                 $"SELECT CAST(fraud_score / 10 AS BIGINT) AS Bucket, COUNT(*) AS Count FROM {table} WHERE {where} GROUP BY fraud_score / 10", args))
                        buckets[Math.Clamp((int)bucket, 0, 9)] += count;
                    var statuses = (await c.QueryAsync<(string Status, long Count)>(
                        $"SELECT fraud_status AS Status, COUNT(*) AS Count FROM {table} WHERE {where} GROUP BY fraud_status", args)).ToDictionary(r => r.Status, r => r.Count);
                    return new ScoreSpread(
                        buckets.Select((n, i) => new ScoreBucket($"{i * 10}-{(i == 9 ? 100 : i * 10 + 9)}", n)).ToList(),
                        statuses.GetValueOrDefault(FraudStatus.Clean), statuses.GetValueOrDefault(FraudStatus.Suspicious), statuses.GetValueOrDefault(FraudStatus.Fraud));
                }

                var spreads = new Dictionary<string, ScoreSpread>
                {
                    ["sessions"] = await Spread("offerwall_sessions_detailed"),
                    ["clicks"] = await Spread("offerwall_clicks_detailed"),
                    ["conversions"] = await Spread("offerwall_conversions_detailed"),
                };
                // Ad-click events belong to sites, not publishers: only the operator's unfiltered view shows them.
                if (f.PublisherId is null) spreads["click_events"] = await Spread("click_events", "created_at >= @From AND created_at < @To");
                return TypedResults.Ok(new FraudAnalysis(Timestamps.Format(f.From), Timestamps.Format(f.To), f.TimeZone,
                    await CountBy("type"), await CountBy("user_id"), await CountBy("publisher_id"), await CountBy("country_code"), recent, spreads));
            }).Produces<FraudAnalysis>();
    }
}

public sealed record CountRow(string? Key, long Count);

public sealed record RecentSignal(string SignalId, string CreatedAt, string EntityType, string EntityId, string Type, string Severity, int Weight,
    string? UserId, string? OfferId, string? PublisherId, string? CountryCode, JsonElement Details);

public sealed record ScoreBucket(string Range, long Count);

public sealed record ScoreSpread(IReadOnlyList<ScoreBucket> Scores, long Clean, long Suspicious, long Fraud);

public sealed record FraudAnalysis(string From, string To, string Tz, IReadOnlyList<CountRow> ByType, IReadOnlyList<CountRow> ByUser,
    IReadOnlyList<CountRow> ByPublisher, IReadOnlyList<CountRow> ByCountry, IReadOnlyList<RecentSignal> Recent,
    IReadOnlyDictionary<string, ScoreSpread> Distribution);
