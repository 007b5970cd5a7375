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

    /// <summary>More devices than this for one user id within <see cref="SharedDeviceDays"/> days: many devices per user.</summary>
    [Range(1, 1000)]
    public int UserDevicesMax { get; set; } = 5;

    /// <summary>A click event sooner than this after the page loaded: a bot or a mistake (weak alone).</summary>
    [Range(0, 600_000)]
    public int ShortTimeOnPageMilliseconds { get; set; } = 2000;

    /// <summary>Ad-click repeat tiers per IP (new Google click ids): more than this many per campaign in a day ...</summary>
    [Range(1, 10_000)]
    public int AdClicksPerCampaignPerDay { get; set; } = 1;

    /// <summary>... more than this many across campaigns within <see cref="AdClicksAcrossCampaignsHours"/> hours ...</summary>
    [Range(1, 10_000)]
    public int AdClicksAcrossCampaigns { get; set; } = 3;

    [Range(1, 24)]
    public int AdClicksAcrossCampaignsHours { get; set; } = 2;

    /// <summary>... more than this many in 24 hours.</summary>
    [Range(1, 10_000)]
    public int AdClicksPerDay { get; set; } = 10;

    /// <summary>How long an address (and device) that followed a honeypot link stays blocked; 0 leaves the blocklist alone.</summary>
    [Range(0, 24 * 365)]
    public int HoneypotBlockHours { get; set; } = 168;

    /// <summary>
    /// The most that the location signals together (VPN, proxy, VPN-heavy country, time-zone and language mismatches) add
    /// to a score: they all say "the visitor is not where the address is", which honest VPN users are too.
    /// </summary>
    [Range(0, 100)]
    public int LocationSignalsCap { get; set; } = 35;

    private const int ClickHistoryIntervals = History.ClickHistory.IntervalsKept;

    /// <summary>
    /// Weights by signal type (0–100) replacing the rules' defaults, e.g. <c>Fraud:Weights:vpn=25</c>. Decisive signals
    /// (webdriver, blocklisted, a fraudulent click's conversion) decide whatever their weight.
    /// </summary>
    public Dictionary<string, int> Weights { get; set; } = [];

    /// <summary>Every signal type a rule can fire.</summary>
    public static readonly IReadOnlySet<string> SignalTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ad_click_repeat", "automation_user_agent", "blocklisted", "bot_user_agent", "browser_lie", "click_flood", "datacenter_ip", "duplicate_click", "duplicate_conversion",
        "fast_click", "fast_conversion", "fraudulent_click", "hardware_lie", "honeypot_hit", "impossible_click_velocity", "impossible_screen", "language_country_mismatch",
        "low_core_desktop", "machine_regular_timing", "many_devices_per_user", "no_mouse_movement", "proxy", "shared_device", "short_time_on_page", "suspicious_click", "timezone_mismatch",
        "tor_exit", "vpn", "vpn_country", "webdriver",
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SuspiciousThreshold >= FraudThreshold)
            yield return new ValidationResult("Fraud:SuspiciousThreshold must be below Fraud:FraudThreshold.", [nameof(SuspiciousThreshold)]);
        foreach (var (type, weight) in Weights)
        {
            if (!SignalTypes.Contains(type))
                yield return new ValidationResult($"Fraud:Weights:{type} names no signal type; known: {string.Join(", ", SignalTypes.Order(StringComparer.Ordinal))}.", [nameof(Weights)]);
            else if (weight is < 0 or > 100)
                yield return new ValidationResult($"Fraud:Weights:{type} must be between 0 and 100.", [nameof(Weights)]);
        }
    }
}
