namespace OfferTrace.Fraud.Rules;

/// <summary>
/// The money follows the click's judgement: a conversion of a click judged fraud is fraud (decisive), and one of a
/// suspicious click is at least suspicious, so it is held pending.
/// </summary>
public static class InheritedClickFraudRule
{
    public static FraudSignal? Check(string clickFraudStatus, int clickFraudScore, int suspiciousThreshold) => clickFraudStatus switch
    {
        FraudStatus.Fraud => new FraudSignal("fraudulent_click", Severity.High, 100, true, Evidence(clickFraudStatus, clickFraudScore)),
        FraudStatus.Suspicious => new FraudSignal("suspicious_click", Severity.Medium, suspiciousThreshold, false, Evidence(clickFraudStatus, clickFraudScore)),
        _ => null,
    };

    private static Dictionary<string, object?> Evidence(string status, int score) =>
        new() { ["click_fraud_status"] = status, ["click_fraud_score"] = score };
}
