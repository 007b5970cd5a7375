using System.Globalization;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Postbacks;

namespace OfferTrace.Reconciliation;

/// <summary>
/// Checks the rows of an export, whatever its format: a transaction id, a payout that is an amount, a known currency, a
/// status that the network's <c>status_map</c> (or our own names) turns into ours, and each transaction id once.
/// </summary>
public sealed class ExportRows(Network network)
{
    private const int MaxTransactionIdLength = 256;
    private static readonly string[] OurStatuses =
        [ConversionStatus.Approved, ConversionStatus.Pending, ConversionStatus.Rejected, ConversionStatus.Reversed, ConversionStatus.Fraud];

    private readonly Dictionary<string, int> _firstLine = new(StringComparer.Ordinal);
    private readonly List<TheirConversion> _rows = [];
    private readonly List<InvalidRow> _invalid = [];
    private int _read;

    public void Invalid(int line, string reason)
    {
        _read++;
        _invalid.Add(new InvalidRow(line, reason));
    }

    public void Add(int line, string? transactionId, string? payout, string? currency, string? status)
    {
        _read++;
        if (Check(line, transactionId?.Trim(), payout?.Trim(), currency?.Trim(), status?.Trim()) is { } reason) _invalid.Add(new InvalidRow(line, reason));
    }

    public TheirExport ToExport() => new(_read, _rows, _invalid);

    private string? Check(int line, string? transactionId, string? payoutText, string? currency, string? status)
    {
        if (string.IsNullOrEmpty(transactionId)) return "transaction_id is missing";
        if (transactionId.Length > MaxTransactionIdLength) return $"transaction_id is longer than {MaxTransactionIdLength} characters";
        decimal? payout = null;
        if (!string.IsNullOrEmpty(payoutText))
        {
            if (!decimal.TryParse(payoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || amount > Money.MaxAmount)
                return $"payout '{payoutText}' is not an amount from 0 to {Money.MaxAmount.ToString(CultureInfo.InvariantCulture)}";
            payout = amount;
        }
        currency = string.IsNullOrEmpty(currency) ? null : currency.ToUpperInvariant();
        if (currency is not null && !Currencies.IsKnown(currency)) return $"currency '{currency}' is not an ISO 4217 code";
        status = string.IsNullOrEmpty(status) ? null : status;
        var mapped = Map(status);
        if (mapped is null) return $"status '{status}' is not one of ours and the network's status_map has no entry for it";
        if (_firstLine.TryGetValue(transactionId, out var first)) return $"duplicate transaction_id '{transactionId}' (first on line {first})";

        _firstLine[transactionId] = line;
        _rows.Add(new TheirConversion(line, transactionId, payout, currency, status, mapped));
        return null;
    }

    /// <summary>As postbacks map it: the network's own word first, then our names; no status means approved.</summary>
    private string? Map(string? status)
    {
        if (status is null) return ConversionStatus.Approved;
        if (network.StatusMap.TryGetValue(status, out var mapped)) return mapped;
        var lower = status.ToLowerInvariant();
        return OurStatuses.Contains(lower) ? lower : null;
    }
}
