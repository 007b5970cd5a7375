namespace OfferTrace.Fraud.Rules;

/// <summary>A conversion click sooner after the page loaded than anyone reads it: a bot, or a mistake. Weak alone.</summary>
public static class TimeOnPageRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(long? timeOnPageMs, int thresholdMs) =>
        timeOnPageMs is { } ms && ms < thresholdMs
            ? new FraudSignal("short_time_on_page", Severity.Low, Weight, false,
                new Dictionary<string, object?> { ["time_on_page_ms"] = ms, ["threshold_ms"] = thresholdMs })
            : null;
}
