namespace OfferTrace.Fraud.Rules;

/// <summary>A conversion of a click judged fraud is fraud too: the money must not follow a bot's click.</summary>
public static class InheritedClickFraudRule
{
    public static FraudSignal? Check(string clickFraudStatus, int clickFraudScore) =>
        clickFraudStatus == FraudStatus.Fraud
            ? new FraudSignal("fraudulent_click", Severity.High, 100, true,
                new Dictionary<string, object?> { ["click_fraud_status"] = clickFraudStatus, ["click_fraud_score"] = clickFraudScore })
            : null;
}
