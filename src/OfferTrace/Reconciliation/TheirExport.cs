using OfferTrace.Postbacks;

namespace OfferTrace.Reconciliation;

/// <summary>
/// A network's conversion export as read: the good rows (first occurrence of each transaction id) and the bad ones.
/// <see cref="RowsRead"/> counts both.
/// </summary>
public sealed record TheirExport(int RowsRead, IReadOnlyList<TheirConversion> Rows, IReadOnlyList<InvalidRow> InvalidRows);

/// <summary>One conversion as the network states it; <see cref="MappedStatus"/> is its status in our terms (status_map applied).</summary>
public sealed record TheirConversion(int Line, string TransactionId, decimal? Payout, string? Currency, string? Status, string MappedStatus)
{
    public bool IsCredited => MappedStatus is ConversionStatus.Approved or ConversionStatus.Pending;
}

/// <summary>A row that could not be compared. For JSON, <see cref="Line"/> is the conversion's 1-based position in the array.</summary>
public sealed record InvalidRow(int Line, string Reason);
