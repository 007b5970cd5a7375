using OfferTrace.Common;

namespace OfferTrace.Reconciliation;

/// <summary>The answer of a reconciliation: how many of the network's rows agree with what is stored, and every difference.</summary>
public sealed record ReconciliationReport(string NetworkId, int RowsRead, int Matched, IReadOnlyList<Difference> Differences,
    IReadOnlyList<InvalidRow> InvalidRows, ReconciliationTotals Totals)
{
    private static readonly string[] CsvHeader =
    [
        "type", "transaction_id", "conversion_id", "their_line", "their_payout", "their_currency", "their_status", "their_mapped_status",
        "our_payout", "our_currency", "our_status", "our_created_at", "reason",
    ];

    /// <summary>One CSV row per difference, then one per invalid row (type <c>invalid_row</c>), so the file is a complete to-do list.</summary>
    public Task WriteCsvAsync(CsvWriter csv)
    {
        csv.Row(CsvHeader);
        foreach (var d in Differences)
        {
            csv.Row(d.Type, d.TransactionId, d.ConversionId, d.Theirs?.Line, d.Theirs?.Payout, d.Theirs?.Currency, d.Theirs?.Status,
                d.Theirs?.MappedStatus, d.Ours?.Payout, d.Ours?.Currency, d.Ours?.Status, d.Ours?.CreatedAt, null);
        }
        foreach (var r in InvalidRows) csv.Row("invalid_row", null, null, r.Line, null, null, null, null, null, null, null, null, r.Reason);
        return Task.CompletedTask;
    }
}

public static class DifferenceTypes
{
    /// <summary>In their file, not stored here.</summary>
    public const string MissingHere = "missing_here";

    /// <summary>Stored and credited here, not in their file.</summary>
    public const string MissingThere = "missing_there";

    /// <summary>Both credit it, for a different payout or in a different currency.</summary>
    public const string AmountDiffers = "amount_differs";

    /// <summary>One side credits it (approved or pending), the other does not (rejected, reversed, fraud).</summary>
    public const string StatusDiffers = "status_differs";
}

public sealed record Difference(string Type, string TransactionId, string? ConversionId, TheirSide? Theirs, OurSide? Ours);

/// <summary>Their row as given (<see cref="Status"/> raw), with the status it maps to.</summary>
public sealed record TheirSide(int Line, decimal? Payout, string? Currency, string? Status, string MappedStatus);

public sealed record OurSide(decimal Payout, string Currency, string Status, string CreatedAt);

/// <summary>
/// What each side credits, in the base currency: <see cref="Difference"/> is theirs minus ours. Their credited rows
/// with no payout, or in a currency with no rate to the base currency, are left out and counted in <see cref="RowsLeftOut"/>.
/// </summary>
public sealed record ReconciliationTotals(decimal Theirs, decimal Ours, decimal Difference, string Currency, int RowsLeftOut);
