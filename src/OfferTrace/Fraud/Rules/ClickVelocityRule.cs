namespace OfferTrace.Fraud.Rules;

/// <summary>Mouse travel faster than a hand can move it.</summary>
public static class ClickVelocityRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(double? velocityPxPerMs, double max) =>
        velocityPxPerMs is { } v && v > max
            ? new FraudSignal("impossible_click_velocity", Severity.High, Weight, false,
                new Dictionary<string, object?> { ["click_velocity"] = v, ["max"] = max })
            : null;
}
