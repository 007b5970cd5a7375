using OfferTrace.Storage;

namespace OfferTrace.Analytics;

/// <summary>
/// Hourly counters of one batch, summed in memory and upserted in the batch's own transaction, into the rows of the
/// writer loop that wrote it (<paramref name="shard"/>). A writer loop keeps one and reuses it batch after batch.
/// </summary>
public sealed class RollupBatch(int shard)
{
    private const long HourMs = 3_600_000;

    // One row per key per batch (the dictionary below), so the rows may travel as one statement.
    private static readonly SqlStatement Upsert = SqlStatement.BulkUpsert("rollup_hourly",
        "hour, writer_shard, publisher_id, placement_id, offer_id, country_code, device_type, status, sessions, impressions, clicks, conversions, " +
        "network_payout, user_reward, publisher_commission, platform_revenue, points",
        "ON CONFLICT (hour, publisher_id, placement_id, offer_id, country_code, device_type, status, writer_shard) DO UPDATE SET " +
        "sessions = rollup_hourly.sessions + excluded.sessions, impressions = rollup_hourly.impressions + excluded.impressions, " +
        "clicks = rollup_hourly.clicks + excluded.clicks, conversions = rollup_hourly.conversions + excluded.conversions, " +
        "network_payout = rollup_hourly.network_payout + excluded.network_payout, user_reward = rollup_hourly.user_reward + excluded.user_reward, " +
        "publisher_commission = rollup_hourly.publisher_commission + excluded.publisher_commission, " +
        "platform_revenue = rollup_hourly.platform_revenue + excluded.platform_revenue, points = rollup_hourly.points + excluded.points");

    private readonly Dictionary<RollupKey, RollupCounts> _rows = [];
    private readonly List<RollupKey> _ordered = [];

    public void Add(long atMs, string publisherId, string placementId, string? offerId, string? countryCode, string? deviceType,
        string status, RollupCounts counts)
    {
        var key = new RollupKey(atMs - (atMs % HourMs + HourMs) % HourMs, publisherId, placementId, offerId ?? "", countryCode ?? "",
            deviceType ?? "", status);
        _rows[key] = _rows.TryGetValue(key, out var sum) ? sum + counts : counts;
    }

    /// <summary>Forgets the counters of a batch that did not commit.</summary>
    public void Clear()
    {
        _rows.Clear();
        _ordered.Clear();
    }

    /// <summary>Queues the upserts in key order, so concurrent writers lock rows in the same order.</summary>
    public void Write(IStatementRunner runner)
    {
        _ordered.AddRange(_rows.Keys);
        _ordered.Sort();
        foreach (var k in _ordered)
        {
            var c = _rows[k];
            runner.Queue(Upsert, [k.Hour, shard, k.PublisherId, k.PlacementId, k.OfferId, k.CountryCode, k.DeviceType, k.Status,
                c.Sessions, c.Impressions, c.Clicks, c.Conversions, c.NetworkPayout, c.UserReward, c.PublisherCommission, c.PlatformRevenue, c.Points]);
        }
        _ordered.Clear();
        _rows.Clear();
    }

    private readonly record struct RollupKey(long Hour, string PublisherId, string PlacementId, string OfferId, string CountryCode,
        string DeviceType, string Status) : IComparable<RollupKey>
    {
        public int CompareTo(RollupKey other)
        {
            var c = Hour.CompareTo(other.Hour);
            if (c == 0) c = string.CompareOrdinal(PublisherId, other.PublisherId);
            if (c == 0) c = string.CompareOrdinal(PlacementId, other.PlacementId);
            if (c == 0) c = string.CompareOrdinal(OfferId, other.OfferId);
            if (c == 0) c = string.CompareOrdinal(CountryCode, other.CountryCode);
            if (c == 0) c = string.CompareOrdinal(DeviceType, other.DeviceType);
            if (c == 0) c = string.CompareOrdinal(Status, other.Status);
            return c;
        }
    }
}

/// <summary>Counters and base-currency amounts (1/10,000 units) added to one rollup row.</summary>
public readonly record struct RollupCounts(
    long Sessions = 0, long Impressions = 0, long Clicks = 0, long Conversions = 0,
    long NetworkPayout = 0, long UserReward = 0, long PublisherCommission = 0, long PlatformRevenue = 0, long Points = 0)
{
    public static RollupCounts operator +(RollupCounts a, RollupCounts b) => new(
        a.Sessions + b.Sessions, a.Impressions + b.Impressions, a.Clicks + b.Clicks, a.Conversions + b.Conversions,
        a.NetworkPayout + b.NetworkPayout, a.UserReward + b.UserReward, a.PublisherCommission + b.PublisherCommission,
        a.PlatformRevenue + b.PlatformRevenue, a.Points + b.Points);

    public static RollupCounts operator -(RollupCounts a) => new(
        -a.Sessions, -a.Impressions, -a.Clicks, -a.Conversions, -a.NetworkPayout, -a.UserReward, -a.PublisherCommission, -a.PlatformRevenue, -a.Points);
}
