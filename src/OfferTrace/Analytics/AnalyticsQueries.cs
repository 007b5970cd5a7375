using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Analytics;

/// <summary>
/// Aggregates over one fact shape, fed either by the hourly rollups (whole hours) or by the raw event tables
/// (any range). Both must agree; the rollup check compares them.
/// </summary>
public sealed class AnalyticsQueries(Database database)
{
    private const string Measures =
        "SUM(sessions) AS sessions, SUM(impressions) AS impressions, SUM(clicks) AS clicks, " +
        "SUM(CASE WHEN status IN ('approved', 'pending') THEN conversions ELSE 0 END) AS conversions, " +
        "SUM(CASE WHEN status = 'fraud' THEN conversions ELSE 0 END) AS fraud_conversions, " +
        "SUM(CASE WHEN status = 'rejected' THEN conversions ELSE 0 END) AS rejected_conversions, " +
        "SUM(network_payout) AS network_payout, SUM(user_reward) AS user_reward, SUM(publisher_commission) AS publisher_commission, " +
        "SUM(platform_revenue) AS platform_revenue, SUM(points) AS points";

    private const string RollupSource =
        "SELECT publisher_id, placement_id, offer_id, country_code, device_type, status, sessions, impressions, clicks, conversions, " +
        "network_payout, user_reward, publisher_commission, platform_revenue, points, hour AS at FROM rollup_hourly WHERE hour >= @from AND hour < @to";

    private const string RawSource =
        "SELECT publisher_id, placement_id, '' AS offer_id, COALESCE(country_code, '') AS country_code, COALESCE(device_type, '') AS device_type, " +
        "'' AS status, 1 AS sessions, 0 AS impressions, 0 AS clicks, 0 AS conversions, 0 AS network_payout, 0 AS user_reward, " +
        "0 AS publisher_commission, 0 AS platform_revenue, 0 AS points, created_at AS at FROM offerwall_sessions_detailed WHERE created_at >= @from AND created_at < @to " +
        "UNION ALL SELECT publisher_id, placement_id, offer_id, COALESCE(country_code, ''), COALESCE(device_type, ''), '', 0, 1, 0, 0, 0, 0, 0, 0, 0, created_at " +
        "FROM offerwall_impressions_detailed WHERE created_at >= @from AND created_at < @to " +
        "UNION ALL SELECT publisher_id, placement_id, offer_id, COALESCE(country_code, ''), COALESCE(device_type, ''), '', 0, 0, 1, 0, 0, 0, 0, 0, 0, created_at " +
        "FROM offerwall_clicks_detailed WHERE created_at >= @from AND created_at < @to " +
        "UNION ALL SELECT publisher_id, placement_id, offer_id, COALESCE(country_code, ''), COALESCE(device_type, ''), status, 0, 0, 0, 1, " +
        "CASE WHEN status IN ('approved', 'pending') THEN network_payout_base ELSE 0 END, " +
        "CASE WHEN status IN ('approved', 'pending') THEN user_reward_base ELSE 0 END, " +
        "CASE WHEN status IN ('approved', 'pending') THEN publisher_commission_base ELSE 0 END, " +
        "CASE WHEN status IN ('approved', 'pending') THEN platform_revenue_base ELSE 0 END, " +
        "CASE WHEN status IN ('approved', 'pending') THEN points ELSE 0 END, created_at " +
        "FROM offerwall_conversions_detailed WHERE created_at >= @from AND created_at < @to";

    private const string Keys = "publisher_id, placement_id, offer_id, country_code, device_type, status";

    private const string Counters =
        "SUM(sessions) AS sessions, SUM(impressions) AS impressions, SUM(clicks) AS clicks, SUM(conversions) AS conversions, " +
        "SUM(network_payout) AS network_payout, SUM(user_reward) AS user_reward, SUM(publisher_commission) AS publisher_commission, " +
        "SUM(platform_revenue) AS platform_revenue, SUM(points) AS points";

    /// <summary>Recomputes the hourly rollups from the raw events and lists every row where they differ.</summary>
    public async Task<RollupCheck> CheckRollupsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await CheckRollupsAsync(c, null);
    }

    /// <summary>The check inside a caller's transaction (a snapshot, so raw events and rollups are read at one moment).</summary>
    public static async Task<RollupCheck> CheckRollupsAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx)
    {
        var range = new { from = long.MinValue, to = long.MaxValue };
        var raw = (await c.QueryAsync($"SELECT at - (at % 3600000) AS hour, {Keys}, {Counters} FROM ({RawSource}) f GROUP BY at - (at % 3600000), {Keys}", range, tx))
            .Select(DbRow.From).ToDictionary(RollupRowKey, RollupRowValues);
        var stored = (await c.QueryAsync($"SELECT hour, {Keys}, {Counters} FROM rollup_hourly GROUP BY hour, {Keys}", transaction: tx))
            .Select(DbRow.From).ToDictionary(RollupRowKey, RollupRowValues)
            // A status a conversion moved out of keeps its row at zero: the same as no row.
            .Where(p => p.Value != ZeroRow).ToDictionary();
        var differences = raw.Keys.Union(stored.Keys)
            .Where(k => raw.GetValueOrDefault(k) != stored.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal)
            .Select(k => new RollupDifference(k, raw.GetValueOrDefault(k) ?? "(none)", stored.GetValueOrDefault(k) ?? "(none)"))
            .ToList();
        return new RollupCheck(stored.Count, differences);
    }

    private static string RollupRowKey(DbRow r) =>
        string.Join('|', Timestamps.Format(r.Long("hour")), r.Str("publisher_id"), r.Str("placement_id"), r.Str("offer_id"), r.Str("country_code"),
            r.Str("device_type"), r.Str("status"));

    private static readonly string[] RollupColumns =
        ["sessions", "impressions", "clicks", "conversions", "network_payout", "user_reward", "publisher_commission", "platform_revenue", "points"];

    private static readonly string ZeroRow = string.Join(' ', RollupColumns.Select(c => $"{c}=0"));

    private static string RollupRowValues(DbRow r) =>
        string.Join(' ', RollupColumns.Select(c => $"{c}={r.LongOrNull(c) ?? 0}"));

    /// <summary>Totals (dimension null) or one row per value of <paramref name="dimension"/>, largest payout first.</summary>
    public async Task<IReadOnlyList<MetricRow>> AggregateAsync(AnalyticsFilter filter, string? dimension, string currency, bool useRollups,
        CancellationToken ct, int limit = 100)
    {
        if (dimension is not (null or "publisher_id" or "offer_id" or "country_code" or "device_type" or "placement_id"))
            throw new ArgumentOutOfRangeException(nameof(dimension));
        var where = new List<string>();
        if (filter.PublisherId is not null) where.Add("publisher_id = @publisherId");
        if (filter.OfferId is not null) where.Add("offer_id = @offerId");
        if (filter.Country is not null) where.Add("country_code = @country");
        if (filter.DeviceType is not null) where.Add("device_type = @deviceType");
        var source = useRollups ? RollupSource : RawSource;
        var sql = $"SELECT {(dimension is null ? "" : dimension + " AS dim, ")}{Measures} FROM ({source}) f" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  (dimension is null ? "" : $" GROUP BY {dimension} ORDER BY SUM(network_payout) DESC, SUM(clicks) DESC, {dimension} LIMIT {limit}");
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync(sql, new
        {
            from = filter.FromMs, to = filter.ToMs, publisherId = filter.PublisherId, offerId = filter.OfferId, country = filter.Country,
            deviceType = filter.DeviceType,
        });
        return rows.Select(DbRow.From).Select(r => MetricRow.From(dimension is null ? null : r.StrOrNull("dim"), r, currency)).ToList();
    }
}

public sealed record RollupCheck(long RollupRows, IReadOnlyList<RollupDifference> Differences);

/// <summary>One (hour, dimensions) row whose stored rollup differs from the recount of raw events.</summary>
public sealed record RollupDifference(string Key, string Recounted, string Stored);
