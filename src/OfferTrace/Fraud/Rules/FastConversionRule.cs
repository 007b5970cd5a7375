namespace OfferTrace.Fraud.Rules;

/// <summary>No real offer is completed seconds after the click.</summary>
public static class FastConversionRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(double timeToConvertSeconds, double thresholdSeconds) =>
        timeToConvertSeconds < thresholdSeconds
            ? new FraudSignal("fast_conversion", Severity.High, Weight, false,
                new Dictionary<string, object?> { ["time_to_convert_s"] = timeToConvertSeconds, ["threshold_s"] = thresholdSeconds })
            : null;
}
