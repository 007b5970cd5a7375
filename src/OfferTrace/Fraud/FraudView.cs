using System.Text.Json;

namespace OfferTrace.Fraud;

/// <summary>The <c>fraud</c> object of API responses: the score explains itself through its signals.</summary>
public sealed record FraudView(int Score, string Status, IReadOnlyList<FraudSignalView> Signals)
{
    public static FraudView Of(FraudVerdict v) =>
        new(v.Score, v.Status, v.Signals.Select(s => new FraudSignalView(s.Type, s.Severity, s.Weight, JsonSerializer.SerializeToElement(s.Details))).ToList());
}

public sealed record FraudSignalView(string Type, string Severity, int Weight, JsonElement Details);
