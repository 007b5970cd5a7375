namespace OfferTrace.Fraud.Rules;

/// <summary>Headless browsers, HTTP libraries and crawlers announce themselves in the user agent.</summary>
public static class AutomationUserAgentRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(bool isAutomation, bool isBot, string? userAgent) =>
        isAutomation || isBot
            ? new FraudSignal(isAutomation ? "automation_user_agent" : "bot_user_agent", Severity.High, Weight, false,
                new Dictionary<string, object?> { ["user_agent"] = userAgent })
            : null;
}
