namespace OfferTrace.Fraud.Rules;

/// <summary>A click sooner than a human can read the offer after seeing it.</summary>
public static class FastClickRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(long? timeToClickMs, bool fromImpression, int thresholdMs) =>
        fromImpression && timeToClickMs is { } ms && ms < thresholdMs
            ? new FraudSignal("fast_click", Severity.High, Weight, false,
                new Dictionary<string, object?> { ["time_to_click_ms"] = ms, ["threshold_ms"] = thresholdMs })
            : null;
}
