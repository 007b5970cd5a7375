namespace OfferTrace.Fraud.Rules;

/// <summary><c>navigator.webdriver</c> is true only in automated browsers: decisive.</summary>
public static class WebdriverRule
{
    public static FraudSignal? Check(bool isWebdriver) =>
        isWebdriver ? new FraudSignal("webdriver", Severity.High, 100, true, new Dictionary<string, object?> { ["is_webdriver"] = true }) : null;
}
