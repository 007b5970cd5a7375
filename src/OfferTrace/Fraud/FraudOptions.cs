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

    /// <summary>Same user, same offer, again within this many hours: a duplicate click.</summary>
    [Range(1, 24 * 90)]
    public int DuplicateClickHours { get; set; } = 24;

    /// <summary>More offerwall clicks than this from one IP in a minute is a flood.</summary>
    [Range(1, 100_000)]
    public int ClickFloodPerMinute { get; set; } = 60;

    /// <summary>Machine-regular timing: this many intervals in a row, varying less than <see cref="RegularTimingMaxVariation"/>.</summary>
    [Range(3, ClickHistoryIntervals)]
    public int RegularTimingIntervals { get; set; } = 5;

    [Range(0.0, 1.0)]
    public double RegularTimingMaxVariation { get; set; } = 0.05;

    /// <summary>More user ids than this on one device within <see cref="SharedDeviceDays"/> days: a shared device.</summary>
    [Range(1, 1000)]
    public int SharedDeviceUsers { get; set; } = 3;

    [Range(1, 365)]
    public int SharedDeviceDays { get; set; } = 30;

    private const int ClickHistoryIntervals = History.ClickHistory.IntervalsKept;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SuspiciousThreshold >= FraudThreshold)
            yield return new ValidationResult("Fraud:SuspiciousThreshold must be below Fraud:FraudThreshold.", [nameof(SuspiciousThreshold)]);
    }
}
