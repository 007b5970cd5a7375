using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Analytics;

/// <summary>
/// Credited money (approved and pending conversions, PRODUCT §7) in the base currency, as 1/10,000 units, summed over
/// the hourly rollups (whole hours) or the raw conversions (any range), grouped by nothing, offer, publisher or time slot.
/// </summary>
public static class RevenueQueries
{
    private const string Sums =
        "SUM(conversions) AS conversions, SUM(network_payout) AS network_payout, SUM(user_reward) AS user_reward, " +
        "SUM(publisher_commission) AS publisher_commission, SUM(platform_revenue) AS platform_revenue";

    private const string RollupSource =
        "SELECT publisher_id, offer_id, country_code, device_type, conversions, network_payout, user_reward, publisher_commission, platform_revenue, " +
        "hour AS slot FROM rollup_hourly WHERE hour >= @from AND hour < @to AND status IN ('approved', 'pending')";

    private const string RawSource =
        "SELECT publisher_id, offer_id, COALESCE(country_code, '') AS country_code, COALESCE(device_type, '') AS device_type, 1 AS conversions, " +
        "network_payout_base AS network_payout, user_reward_base AS user_reward, publisher_commission_base AS publisher_commission, " +
        "platform_revenue_base AS platform_revenue, created_at - (created_at % 900000) AS slot " +
        "FROM offerwall_conversions_detailed WHERE created_at >= @from AND created_at < @to AND status IN ('approved', 'pending')";

    /// <summary>One row per value of <paramref name="groupBy"/> (read as <c>dim</c>), or one row of totals when it is null.</summary>
    public static async Task<List<(DbRow Row, RevenueSums Sums)>> SumAsync(Database database, AnalyticsFilter filter, string? groupBy, bool useRollups,
        CancellationToken ct)
    {
        if (groupBy is not (null or "offer_id" or "publisher_id" or "slot")) throw new ArgumentOutOfRangeException(nameof(groupBy));
        var where = new List<string>();
        if (filter.PublisherId is not null) where.Add("publisher_id = @publisherId");
        if (filter.OfferId is not null) where.Add("offer_id = @offerId");
        if (filter.Country is not null) where.Add("country_code = @country");
        if (filter.DeviceType is not null) where.Add("device_type = @deviceType");
        var sql = $"SELECT {(groupBy is null ? "" : groupBy + " AS dim, ")}{Sums} FROM ({(useRollups ? RollupSource : RawSource)}) f" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + (groupBy is null ? "" : $" GROUP BY {groupBy}");
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync(sql, new
        {
            from = filter.FromMs, to = filter.ToMs, publisherId = filter.PublisherId, offerId = filter.OfferId, country = filter.Country,
            deviceType = filter.DeviceType,
        });
        return rows.Select(DbRow.From).Select(r => (r, RevenueSums.From(r))).ToList();
    }
}

/// <summary>Credited conversions and their money in 1/10,000 of the base currency.</summary>
public readonly record struct RevenueSums(long Conversions, long NetworkPayout, long UserReward, long PublisherCommission, long PlatformRevenue)
{
    public bool IsZero => this == default;

    public static RevenueSums From(DbRow r) => new(r.LongOrNull("conversions") ?? 0, r.LongOrNull("network_payout") ?? 0,
        r.LongOrNull("user_reward") ?? 0, r.LongOrNull("publisher_commission") ?? 0, r.LongOrNull("platform_revenue") ?? 0);

    public static RevenueSums operator +(RevenueSums a, RevenueSums b) => new(a.Conversions + b.Conversions, a.NetworkPayout + b.NetworkPayout,
        a.UserReward + b.UserReward, a.PublisherCommission + b.PublisherCommission, a.PlatformRevenue + b.PlatformRevenue);
}
