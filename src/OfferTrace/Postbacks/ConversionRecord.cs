using OfferTrace.Fraud;
using OfferTrace.Ledger;
using OfferTrace.Tracking;

namespace OfferTrace.Postbacks;

public sealed record ConversionRecord(
    string ConversionId, long CreatedAtMs, string NetworkId, string TransactionId, ClickInfo Click, string? OfferCategory, string? Advertiser,
    double TimeToConvertSeconds, double SessionDurationSeconds, PayoutSplit Split, decimal ExchangeRate, PayoutSplit BaseSplit, long Points,
    string Status, string? StatusReason, string? NetworkStatus, string? PostbackData, FraudVerdict Fraud)
{
    /// <summary>Approved and pending conversions are credited; fraud, rejected and reversed ones are not.</summary>
    public bool IsCredited => Status is ConversionStatus.Approved or ConversionStatus.Pending;

    /// <summary>The network callback this conversion came from (none for imports), stored in the same transaction.</summary>
    public RawCallback? Callback { get; init; }

    /// <summary>The publisher to tell of the credit (with its postback settings at the time of the conversion).</summary>
    public Catalog.Publisher? Publisher { get; init; }

    public string OfferName { get; init; } = "";

    /// <summary>The offer whose caps the conversion counts against (none: not capped).</summary>
    public Catalog.Offer? Offer { get; init; }

    /// <summary>For a conversion held by its offer's hold period: when its points become available.</summary>
    public long? HoldUntil { get; init; }
}

public static class ConversionStatus
{
    public const string Approved = "approved";
    public const string Pending = "pending";
    public const string Rejected = "rejected";
    public const string Reversed = "reversed";
    public const string Fraud = "fraud";
}

/// <summary>What the writer did with a conversion: stored it, or found the transaction already stored.</summary>
public sealed record ConversionWrite(ConversionRecord? Record, bool IsNew, string ConversionId);
