using System.Text.Json;

namespace OfferTrace.Fraud;

/// <summary>The <c>fraud</c> object of API responses: the score explains itself through its signals.</summary>
public sealed record FraudView(int Score, string Status, IReadOnlyList<FraudSignalView> Signals)
{
    private static readonly FraudView CleanView = new(0, FraudStatus.Clean, []);

    public static FraudView Of(FraudVerdict v) => v.Signals.Count == 0 && v.Score == 0
        ? CleanView
        : new(v.Score, v.Status, v.Signals.Select(s => new FraudSignalView(s.Type, s.Severity, s.Weight, JsonSerializer.SerializeToElement(s.Details))).ToList());
}

public sealed record FraudSignalView(string Type, string Severity, int Weight, JsonElement Details);
