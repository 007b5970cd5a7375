using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// The money rows of a credited conversion, written in the conversion's transaction: a points transaction and the
/// user's balance, a publisher earning and a network payout, all linked to the conversion.
/// </summary>
public static class LedgerRows
{
    private static readonly SqlStatement PointsTransaction = SqlStatement.Insert("user_points_transactions",
        "transaction_id, created_at, publisher_id, user_id, conversion_id, kind, balance, points");

    private static readonly SqlStatement Balance = SqlStatement.Insert("user_points",
        "publisher_id, user_id, total_points, available_points, pending_points, redeemed_points, updated_at",
        "ON CONFLICT (publisher_id, user_id) DO UPDATE SET total_points = user_points.total_points + excluded.total_points, " +
        "available_points = user_points.available_points + excluded.available_points, " +
        "pending_points = user_points.pending_points + excluded.pending_points, updated_at = excluded.updated_at");

    private static readonly SqlStatement Earning = SqlStatement.Insert("publisher_earnings",
        "earning_id, created_at, publisher_id, placement_id, offer_id, conversion_id, earnings, currency, earnings_base, status");

    private static readonly SqlStatement Payout = SqlStatement.Insert("network_payouts",
        "payout_id, created_at, network_id, offer_id, conversion_id, payout, currency, payout_base, status");

    public static void QueueCredit(IStatementRunner runner, CreditEntry e)
    {
        var at = Timestamps.FromMs(e.AtMs);
        var pending = e.Status == "pending";
        runner.Queue(PointsTransaction,
            [Ids.New(Ids.PointsTransaction, at), e.AtMs, e.PublisherId, e.UserId, e.ConversionId, "credit", pending ? "pending" : "available", e.Points]);
        runner.Queue(Balance, [e.PublisherId, e.UserId, e.Points, pending ? 0L : e.Points, pending ? e.Points : 0L, 0L, e.AtMs]);
        runner.Queue(Earning,
        [
            Ids.New(Ids.Earning, at), e.AtMs, e.PublisherId, e.PlacementId, e.OfferId, e.ConversionId, Money.ToUnits(e.Split.PublisherCommission),
            e.Split.Currency, Money.ToUnits(e.BaseSplit.PublisherCommission), "pending",
        ]);
        runner.Queue(Payout,
        [
            Ids.New(Ids.Payout, at), e.AtMs, e.NetworkId, e.OfferId, e.ConversionId, Money.ToUnits(e.Split.NetworkPayout), e.Split.Currency,
            Money.ToUnits(e.BaseSplit.NetworkPayout), "pending",
        ]);
    }
}

public sealed record CreditEntry(
    long AtMs, string ConversionId, string PublisherId, string PlacementId, string UserId, string OfferId, string NetworkId, string Status,
    PayoutSplit Split, PayoutSplit BaseSplit, long Points);
