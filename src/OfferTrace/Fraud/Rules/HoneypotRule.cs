namespace OfferTrace.Fraud.Rules;

/// <summary>A hit on a link no human can see (the tracker's invisible honeypot, or its trap URL): decisive.</summary>
public static class HoneypotRule
{
    public static FraudSignal? Check(bool isTrapHit, string? elementId) =>
        isTrapHit
            ? new FraudSignal("honeypot_hit", Severity.High, 100, true, new Dictionary<string, object?> { ["trap"] = elementId })
            : null;
}
