namespace OfferTrace.Fraud;

/// <summary>One fired rule with its evidence.</summary>
public sealed record FraudSignal(string Type, string Severity, int Weight, bool Decisive, IReadOnlyDictionary<string, object?> Details);

/// <summary>The judgement of one event: a score 0–100, a status and every rule that fired.</summary>
public sealed record FraudVerdict(int Score, string Status, IReadOnlyList<FraudSignal> Signals)
{
    public static readonly FraudVerdict Clean = new(0, FraudStatus.Clean, []);
}

public static class FraudStatus
{
    public const string Clean = "clean";
    public const string Suspicious = "suspicious";
    public const string Fraud = "fraud";
}

public static class Severity
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";

    public static string Of(int weight) => weight >= 40 ? High : weight >= 20 ? Medium : Low;
}
