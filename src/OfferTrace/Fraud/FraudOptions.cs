using System.ComponentModel.DataAnnotations;

namespace OfferTrace.Fraud;

public sealed class FraudOptions : IValidatableObject
{
    public const string Section = "Fraud";

    [Range(1, 100)]
    public int SuspiciousThreshold { get; set; } = 40;

    [Range(1, 100)]
    public int FraudThreshold { get; set; } = 75;

    [Range(0, 60_000)]
    public int FastClickMilliseconds { get; set; } = 500;

    [Range(0, 3600)]
    public double FastConversionSeconds { get; set; } = 5;

    /// <summary>Mouse travel faster than this (px per ms) is not a hand.</summary>
    [Range(0.1, 1000)]
    public double MaxClickVelocity { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SuspiciousThreshold >= FraudThreshold)
            yield return new ValidationResult("Fraud:SuspiciousThreshold must be below Fraud:FraudThreshold.", [nameof(SuspiciousThreshold)]);
    }
}
