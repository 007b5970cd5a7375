using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// Moves publisher earnings and network payouts through <c>pending → approved → paid</c> (or <c>rejected</c> before
/// payment), in bulk. Each move is a conditional update from the statuses it may leave, so a row is never moved twice
/// or backwards, and each writes a <c>ledger_status_changes</c> row: who, what, when. Amounts are never edited.
/// </summary>
public sealed class PayoutStatuses(Database database, TimeProvider time)
{
    public const int MaxPerRequest = 1000;

    public static readonly IReadOnlyDictionary<string, string[]> AllowedFrom = new Dictionary<string, string[]>
    {
        ["approved"] = ["pending"],
        ["rejected"] = ["pending", "approved"],
        ["paid"] = ["approved"],
    };

    public static PayoutLedger Earnings { get; } = new("publisher_earnings", "earning_id", "earning", "publisher_id", "earnings", "earnings_base");
    public static PayoutLedger Payouts { get; } = new("network_payouts", "payout_id", "payout", "network_id", "payout", "payout_base");

    public async Task<StatusChangeReport> MoveAsync(PayoutLedger ledger, IReadOnlyList<string> ids, string to, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var from = AllowedFrom[to];
        var moved = new List<string>();
        var refused = new List<RefusedChange>();
        await using var c = await database.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Rows are changed in id order, so two requests moving overlapping ids take their row locks in the same order.
        foreach (var id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var current = await c.ExecuteScalarAsync<string?>($"SELECT status FROM {ledger.Table} WHERE {ledger.IdColumn} = @id", new { id }, tx);
            if (current is null)
            {
                refused.Add(new RefusedChange(id, $"no {ledger.Entity} '{id}'"));
                continue;
            }
            if (!from.Contains(current))
            {
                refused.Add(new RefusedChange(id, $"is {current}; only {string.Join(" or ", from)} can become {to}"));
                continue;
            }
            var changed = await c.ExecuteAsync(
                $"UPDATE {ledger.Table} SET status = @to, paid_at = CASE WHEN @to = 'paid' THEN @now ELSE paid_at END " +
                $"WHERE {ledger.IdColumn} = @id AND status = @current",
                new { to, now, id, current }, tx);
            if (changed == 0)
            {
                refused.Add(new RefusedChange(id, "changed by someone else meanwhile; read it again"));
                continue;
            }
            await c.ExecuteAsync(
                "INSERT INTO ledger_status_changes (change_id, changed_at, entity, entity_id, from_status, to_status, actor) " +
                "VALUES (@changeId, @now, @entity, @id, @current, @to, @actor)",
                new { changeId = Ids.New(Ids.StatusChange, Timestamps.FromMs(now)), now, entity = ledger.Entity, id, current, to, actor }, tx);
            moved.Add(id);
        }
        await tx.CommitAsync(ct);
        return new StatusChangeReport(to, moved, refused);
    }

    /// <summary>The ids a filter selects (owner, status, created before), newest last, at most <see cref="MaxPerRequest"/>.</summary>
    public async Task<List<string>> SelectAsync(PayoutLedger ledger, string? owner, string status, long? createdBefore, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<string>(
            $"SELECT {ledger.IdColumn} FROM {ledger.Table} WHERE status = @status AND (@owner IS NULL OR {ledger.OwnerColumn} = @owner) " +
            $"AND (@createdBefore IS NULL OR created_at < @createdBefore) ORDER BY {ledger.IdColumn} LIMIT {MaxPerRequest}",
            new { status, owner, createdBefore })).AsList();
    }

    public async Task<Page<PayoutEntryView>> ListAsync(PayoutLedger ledger, string? owner, string? status, string? cursor, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = (await c.QueryAsync(
                $"SELECT {ledger.IdColumn} AS id, created_at, {ledger.OwnerColumn} AS owner, offer_id, conversion_id, kind, reverses_id, " +
                $"{ledger.AmountColumn} AS amount, currency, {ledger.BaseColumn} AS amount_base, status, paid_at FROM {ledger.Table} " +
                $"WHERE (@owner IS NULL OR {ledger.OwnerColumn} = @owner) AND (@status IS NULL OR status = @status) " +
                $"AND (@cursor IS NULL OR {ledger.IdColumn} < @cursor) ORDER BY {ledger.IdColumn} DESC LIMIT @take",
                new { owner, status, cursor, take = limit + 1 }))
            .Select(x => DbRow.From((object)x))
            .Select(r => new PayoutEntryView(r.Str("id"), Timestamps.Format(r.Long("created_at")), r.Str("owner"), r.Str("offer_id"), r.Str("conversion_id"),
                r.Str("kind"), r.StrOrNull("reverses_id"), MoneyFormat.ToMinor(Money.FromUnits(r.Long("amount")), r.Str("currency")), r.Str("currency"),
                Money.FromUnits(r.Long("amount_base")), r.Str("status"), r.LongOrNull("paid_at") is { } at ? Timestamps.Format(at) : null))
            .ToList();
        return new Page<PayoutEntryView>(rows.Take(limit).ToList(), rows.Count > limit ? rows[limit - 1].Id : null);
    }
}

/// <summary>Where one kind of payout entry lives.</summary>
public sealed record PayoutLedger(string Table, string IdColumn, string Entity, string OwnerColumn, string AmountColumn, string BaseColumn);

public sealed record StatusChangeReport(string To, IReadOnlyList<string> Moved, IReadOnlyList<RefusedChange> Refused);

public sealed record RefusedChange(string Id, string Reason);

public sealed record PayoutEntryView(string Id, string CreatedAt, string Owner, string OfferId, string ConversionId, string Kind, string? ReversesId,
    decimal Amount, string Currency, decimal AmountBase, string Status, string? PaidAt);
