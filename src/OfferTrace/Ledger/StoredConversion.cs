using Dapper;
using OfferTrace.Analytics;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>A stored conversion as far as its money goes: who it credited, how much, and where its points are now.</summary>
public sealed record StoredConversion(
    string ConversionId, long CreatedAt, string NetworkId, string TransactionId, string PublisherId, string PlacementId, string UserId,
    string OfferId, string? SubId, string? Ip, string? CountryCode, string? DeviceType, string Status, string? StatusReason, long Points, string Currency,
    long NetworkPayout, long UserReward, long PublisherCommission, string BaseCurrency, long NetworkPayoutBase, long UserRewardBase,
    long PublisherCommissionBase, long PlatformRevenueBase, long? HoldUntil, CreditEntryIds Credit)
{
    private const string Columns =
        "conversion_id, created_at, network_id, transaction_id, publisher_id, placement_id, user_id, offer_id, sub_id, ip, country_code, device_type, " +
        "status, status_reason, points, currency, network_payout, user_reward, publisher_commission, base_currency, network_payout_base, user_reward_base, " +
        "publisher_commission_base, platform_revenue_base, hold_until, " +
        "(SELECT MIN(t.transaction_id) FROM user_points_transactions t WHERE t.conversion_id = c.conversion_id AND t.kind = 'credit') AS points_entry_id, " +
        "(SELECT MIN(e.earning_id) FROM publisher_earnings e WHERE e.conversion_id = c.conversion_id AND e.kind = 'credit') AS earning_id, " +
        "(SELECT MIN(p.payout_id) FROM network_payouts p WHERE p.conversion_id = c.conversion_id AND p.kind = 'credit') AS payout_id, " +
        "(SELECT MIN(e.status) FROM publisher_earnings e WHERE e.conversion_id = c.conversion_id AND e.kind = 'credit') AS earning_status, " +
        "(SELECT MIN(p.status) FROM network_payouts p WHERE p.conversion_id = c.conversion_id AND p.kind = 'credit') AS payout_status";

    public bool IsCredited => Status is "approved" or "pending";

    /// <summary>The rollup counts this conversion adds while it is credited.</summary>
    public RollupCounts CreditedCounts => new(Conversions: 1, NetworkPayout: NetworkPayoutBase, UserReward: UserRewardBase,
        PublisherCommission: PublisherCommissionBase, PlatformRevenue: PlatformRevenueBase, Points: Points);

    public static async Task<StoredConversion?> FindAsync(Database database, string conversionId, CancellationToken ct) =>
        await QueryAsync(database, $"SELECT {Columns} FROM offerwall_conversions_detailed c WHERE conversion_id = @conversionId", new { conversionId }, ct);

    public static async Task<StoredConversion?> FindByTransactionAsync(Database database, string networkId, string transactionId, CancellationToken ct) =>
        await QueryAsync(database, $"SELECT {Columns} FROM offerwall_conversions_detailed c WHERE network_id = @networkId AND transaction_id = @transactionId",
            new { networkId, transactionId }, ct);

    private static async Task<StoredConversion?> QueryAsync(Database database, string sql, object args, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync(sql, args);
        return row is null ? null : From(DbRow.From((object)row));
    }

    public static StoredConversion From(DbRow r) => new(
        r.Str("conversion_id"), r.Long("created_at"), r.Str("network_id"), r.Str("transaction_id"), r.Str("publisher_id"), r.Str("placement_id"),
        r.Str("user_id"), r.Str("offer_id"), r.StrOrNull("sub_id"), r.StrOrNull("ip"), r.StrOrNull("country_code"), r.StrOrNull("device_type"),
        r.Str("status"), r.StrOrNull("status_reason"), r.Long("points"), r.Str("currency"), r.Long("network_payout"), r.Long("user_reward"), r.Long("publisher_commission"),
        r.Str("base_currency"), r.Long("network_payout_base"), r.Long("user_reward_base"), r.Long("publisher_commission_base"),
        r.Long("platform_revenue_base"), r.LongOrNull("hold_until"),
        new CreditEntryIds(r.StrOrNull("points_entry_id"), r.StrOrNull("earning_id"), r.StrOrNull("payout_id"), r.StrOrNull("earning_status"),
            r.StrOrNull("payout_status")));
}

/// <summary>The entries a conversion's credit wrote, which its reversal or release links to.</summary>
public sealed record CreditEntryIds(string? PointsEntryId, string? EarningId, string? PayoutId, string? EarningStatus, string? PayoutStatus)
{
    /// <summary>
    /// The status a reversal entry starts in: a credit already rejected was never going to be paid, so its reversal is
    /// rejected too (else the next payout run would take the amount off twice); otherwise it waits to be netted.
    /// </summary>
    public static string ReversalStatus(string? creditStatus) => creditStatus == "rejected" ? "rejected" : "pending";
}
