using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// The money rows, written in the transaction of the event that causes them. Entries are appended, never edited:
/// a credit writes a points entry, a publisher earning and a network payout; a reversal writes their negatives, each
/// linked to the entry it reverses; a release moves points from pending to available; a redemption from available to
/// redeemed. <c>user_points</c> holds the balances these entries add up to (total = available + pending + redeemed).
/// </summary>
public static class LedgerRows
{
    private static readonly SqlStatement PointsEntry = SqlStatement.Insert("user_points_transactions",
        "transaction_id, created_at, publisher_id, user_id, conversion_id, redemption_id, reverses_id, kind, balance, points");

    private static readonly SqlStatement Balance = SqlStatement.Insert("user_points",
        "publisher_id, user_id, total_points, available_points, pending_points, redeemed_points, updated_at",
        "ON CONFLICT (publisher_id, user_id) DO UPDATE SET total_points = user_points.total_points + excluded.total_points, " +
        "available_points = user_points.available_points + excluded.available_points, " +
        "pending_points = user_points.pending_points + excluded.pending_points, " +
        "redeemed_points = user_points.redeemed_points + excluded.redeemed_points, updated_at = excluded.updated_at");

    private static readonly SqlStatement Earning = SqlStatement.Insert("publisher_earnings",
        "earning_id, created_at, publisher_id, placement_id, offer_id, conversion_id, earnings, currency, earnings_base, status, kind, reverses_id");

    private static readonly SqlStatement Payout = SqlStatement.Insert("network_payouts",
        "payout_id, created_at, network_id, offer_id, conversion_id, payout, currency, payout_base, status, kind, reverses_id");

    public static void QueueCredit(IStatementRunner runner, CreditEntry e)
    {
        var at = Timestamps.FromMs(e.AtMs);
        var bucket = e.Status == "pending" ? "pending" : "available";
        runner.Queue(PointsEntry, [Ids.New(Ids.PointsTransaction, at), e.AtMs, e.PublisherId, e.UserId, e.ConversionId, null, null, "credit", bucket, e.Points]);
        QueueBalance(runner, e.PublisherId, e.UserId, e.AtMs, bucket, e.Points);
        runner.Queue(Earning,
        [
            Ids.New(Ids.Earning, at), e.AtMs, e.PublisherId, e.PlacementId, e.OfferId, e.ConversionId, Money.ToUnits(e.Split.PublisherCommission),
            e.Split.Currency, Money.ToUnits(e.BaseSplit.PublisherCommission), "pending", "credit", null,
        ]);
        runner.Queue(Payout,
        [
            Ids.New(Ids.Payout, at), e.AtMs, e.NetworkId, e.OfferId, e.ConversionId, Money.ToUnits(e.Split.NetworkPayout), e.Split.Currency,
            Money.ToUnits(e.BaseSplit.NetworkPayout), "pending", "credit", null,
        ]);
    }

    /// <summary>
    /// A credited conversion loses its credit (chargeback, rejection): negative entries from the balance its points are
    /// in, for the publisher earning and for the network payout. A balance may go below zero: that is the user's debt.
    /// </summary>
    public static void QueueReversal(IStatementRunner runner, StoredConversion c, long atMs, string kind)
    {
        var at = Timestamps.FromMs(atMs);
        var bucket = c.Status == "pending" ? "pending" : "available";
        runner.Queue(PointsEntry, [Ids.New(Ids.PointsTransaction, at), atMs, c.PublisherId, c.UserId, c.ConversionId, null, c.Credit.PointsEntryId, kind, bucket, -c.Points]);
        QueueBalance(runner, c.PublisherId, c.UserId, atMs, bucket, -c.Points);
        runner.Queue(Earning,
        [
            Ids.New(Ids.Earning, at), atMs, c.PublisherId, c.PlacementId, c.OfferId, c.ConversionId, -c.PublisherCommission, c.Currency,
            -c.PublisherCommissionBase, CreditEntryIds.ReversalStatus(c.Credit.EarningStatus), kind, c.Credit.EarningId,
        ]);
        runner.Queue(Payout,
        [
            Ids.New(Ids.Payout, at), atMs, c.NetworkId, c.OfferId, c.ConversionId, -c.NetworkPayout, c.Currency, -c.NetworkPayoutBase,
            CreditEntryIds.ReversalStatus(c.Credit.PayoutStatus), kind,
            c.Credit.PayoutId,
        ]);
    }

    /// <summary>Held points become available: out of the pending balance, into the available one.</summary>
    public static void QueueRelease(IStatementRunner runner, StoredConversion c, long atMs)
    {
        var at = Timestamps.FromMs(atMs);
        runner.Queue(PointsEntry, [Ids.New(Ids.PointsTransaction, at), atMs, c.PublisherId, c.UserId, c.ConversionId, null, c.Credit.PointsEntryId, "release", "pending", -c.Points]);
        runner.Queue(PointsEntry, [Ids.New(Ids.PointsTransaction, at), atMs, c.PublisherId, c.UserId, c.ConversionId, null, c.Credit.PointsEntryId, "release", "available", c.Points]);
        runner.Queue(Balance, [c.PublisherId, c.UserId, 0L, c.Points, -c.Points, 0L, atMs]);
    }

    /// <summary>Spent points: out of the available balance (already checked and taken in the same transaction), into the redeemed one.</summary>
    public static void QueueRedemptionEntries(IStatementRunner runner, string publisherId, string userId, string redemptionId, long points, long atMs)
    {
        var at = Timestamps.FromMs(atMs);
        runner.Queue(PointsEntry, [Ids.New(Ids.PointsTransaction, at), atMs, publisherId, userId, null, redemptionId, null, "redemption", "available", -points]);
        runner.Queue(PointsEntry, [Ids.New(Ids.PointsTransaction, at), atMs, publisherId, userId, null, redemptionId, null, "redemption", "redeemed", points]);
    }

    private static void QueueBalance(IStatementRunner runner, string publisherId, string userId, long atMs, string bucket, long points) =>
        runner.Queue(Balance, [publisherId, userId, points, bucket == "available" ? points : 0L, bucket == "pending" ? points : 0L, 0L, atMs]);
}

public sealed record CreditEntry(
    long AtMs, string ConversionId, string PublisherId, string PlacementId, string UserId, string OfferId, string NetworkId, string Status,
    PayoutSplit Split, PayoutSplit BaseSplit, long Points);
