using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// Spends a user's points. The balance check and the debit are one conditional update in the writer's transaction
/// (<c>available_points &gt;= points</c>), so concurrent redemptions can never take more than is available, on either
/// provider. The publisher's <c>reference</c> makes a retry a repeat rather than a second spend.
/// </summary>
public sealed class Redemptions(Database database, IngestWriter writer, TimeProvider time)
{
    public async Task<Outcome<RedemptionView>> RedeemAsync(string publisherId, string userId, long points, string reference, CancellationToken ct)
    {
        RedemptionWrite? write = null;
        for (var attempt = 0; write is null; attempt++)
        {
            var now = time.GetUtcNow();
            var item = new RedemptionItem(Ids.New(Ids.Redemption, now), publisherId, userId, points, reference, now.ToUnixTimeMilliseconds());
            if (!writer.TryEnqueue(item)) return Outcome<RedemptionView>.Unavailable("The ingest queue is full; retry shortly.");
            try
            {
                write = await item.Completion;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The same reference stored by another writer at the same moment: the next attempt finds it.
                if (!writer.IsConflict(e) || attempt >= 2) return Outcome<RedemptionView>.Unavailable("Storage is unavailable; nothing was redeemed.");
            }
        }

        var view = await FindAsync(publisherId, write.RedemptionId ?? "", ct);
        var balance = await BalanceAsync(publisherId, userId, ct);
        if (write.Outcome == RedemptionOutcome.Insufficient)
        {
            return Outcome<RedemptionView>.Fail(StatusCodes.Status409Conflict,
                $"User '{userId}' has {balance.Available} available points; the redemption needs {points}.");
        }
        if (view is null) return Outcome<RedemptionView>.Unavailable("The redemption could not be read back; retry with the same reference.");
        if (write.Outcome == RedemptionOutcome.Repeat && (view.UserId != userId || view.Points != points))
            return Outcome<RedemptionView>.Fail(StatusCodes.Status409Conflict, $"reference '{reference}' was already used for another redemption ({view.RedemptionId}).");
        return Outcome<RedemptionView>.Ok(view with { Balance = await BalanceAsync(publisherId, view.UserId, ct) },
            write.Outcome == RedemptionOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private async Task<RedemptionView?> FindAsync(string publisherId, string redemptionId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync(
            "SELECT redemption_id, created_at, publisher_id, user_id, points, reference FROM points_redemptions WHERE redemption_id = @redemptionId AND publisher_id = @publisherId",
            new { redemptionId, publisherId });
        if (row is null) return null;
        var r = DbRow.From((object)row);
        return new RedemptionView(r.Str("redemption_id"), Timestamps.Format(r.Long("created_at")), r.Str("publisher_id"), r.Str("user_id"), r.Long("points"),
            r.Str("reference"), null);
    }

    public async Task<PointsBalance> BalanceAsync(string publisherId, string userId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync(
            "SELECT total_points, available_points, pending_points, redeemed_points FROM user_points WHERE publisher_id = @publisherId AND user_id = @userId",
            new { publisherId, userId });
        if (row is null) return new PointsBalance(0, 0, 0, 0, 0);
        var r = DbRow.From((object)row);
        var available = r.Long("available_points");
        return new PointsBalance(r.Long("total_points"), available, r.Long("pending_points"), r.Long("redeemed_points"), available < 0 ? -available : 0);
    }
}

/// <summary>A user's points: <c>debt</c> is what a chargeback took beyond the available balance.</summary>
public sealed record PointsBalance(long Total, long Available, long Pending, long Redeemed, long Debt);

public sealed record RedemptionView(string RedemptionId, string CreatedAt, string PublisherId, string UserId, long Points, string Reference,
    PointsBalance? Balance);

internal enum RedemptionOutcome
{
    Created,
    Repeat,
    Insufficient,
}

internal sealed record RedemptionWrite(RedemptionOutcome Outcome, string? RedemptionId);

internal sealed class RedemptionItem(string redemptionId, string publisherId, string userId, long points, string reference, long atMs) : IngestItem<RedemptionWrite>
{
    private static readonly SqlStatement Existing = new(
        "SELECT redemption_id FROM points_redemptions WHERE publisher_id = @publisher_id AND reference = @reference", "publisher_id", "reference");

    private static readonly SqlStatement Take = new(
        "UPDATE user_points SET available_points = available_points - @points, redeemed_points = redeemed_points + @points, updated_at = @at " +
        "WHERE publisher_id = @publisher_id AND user_id = @user_id AND available_points >= @points RETURNING available_points",
        "points", "at", "publisher_id", "user_id");

    private static readonly SqlStatement Insert = SqlStatement.Insert("points_redemptions",
        "redemption_id, created_at, publisher_id, user_id, points, reference");

    protected override async ValueTask<RedemptionWrite> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        if (await context.Runner.ScalarAsync(Existing, [publisherId, reference], ct) is string existing)
            return new RedemptionWrite(RedemptionOutcome.Repeat, existing);
        if (await context.Runner.ScalarAsync(Take, [points, atMs, publisherId, userId], ct) is null)
            return new RedemptionWrite(RedemptionOutcome.Insufficient, null);
        // A plain insert: should another writer have stored the same reference meanwhile, the unique key fails this
        // batch and the writer runs the item again alone, where it finds the repeat.
        context.Runner.Queue(Insert, [redemptionId, atMs, publisherId, userId, points, reference]);
        LedgerRows.QueueRedemptionEntries(context.Runner, publisherId, userId, redemptionId, points, atMs);
        return new RedemptionWrite(RedemptionOutcome.Created, redemptionId);
    }
}
