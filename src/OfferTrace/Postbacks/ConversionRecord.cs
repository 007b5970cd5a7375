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
public sealed record ConversionWrite(ConversionRecord Record, bool IsNew, string ConversionId);
