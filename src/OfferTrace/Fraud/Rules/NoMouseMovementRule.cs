namespace OfferTrace.Fraud.Rules;

/// <summary>A click with no pointer movement (or a human score of 0) on a pointer device; touch devices are never judged by it.</summary>
public static class NoMouseMovementRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(double? mouseMovementPx, int? humanScore, bool isTouchDevice)
    {
        if (isTouchDevice) return null;
        if (mouseMovementPx is 0 || humanScore is 0)
        {
            return new FraudSignal("no_mouse_movement", Severity.Low, Weight, false,
                new Dictionary<string, object?> { ["mouse_movement_px"] = mouseMovementPx, ["human_score"] = humanScore });
        }
        return null;
    }
}
