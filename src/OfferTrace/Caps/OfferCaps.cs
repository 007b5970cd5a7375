using System.Text.Json.Serialization;

namespace OfferTrace.Caps;

/// <summary>
/// An offer's caps (PRODUCT.md §3): clicks, conversions and payout per UTC day, per UTC month and over the offer's
/// lifetime. Payout caps are in the base currency. An absent limit is no limit.
/// </summary>
public sealed record OfferCaps(
    [property: JsonPropertyName("clicks")] CapLimits? Clicks,
    [property: JsonPropertyName("conversions")] CapLimits? Conversions,
    [property: JsonPropertyName("payout")] MoneyCapLimits? Payout)
{
    public static OfferCaps None { get; } = new(null, null, null);

    public bool LimitsClicks => Clicks is { IsEmpty: false };

    public bool LimitsConversions => Conversions is { IsEmpty: false } || Payout is { IsEmpty: false };

    public bool Any => LimitsClicks || LimitsConversions;

    /// <summary>The caps with the older <c>daily_cap</c> (conversions a day) folded in: the lower one applies.</summary>
    public OfferCaps WithDailyConversions(long? dailyCap)
    {
        if (dailyCap is not { } cap) return this;
        var day = Conversions?.Day is { } d ? Math.Min(d, cap) : cap;
        return this with { Conversions = (Conversions ?? new CapLimits(null, null, null)) with { Day = day } };
    }
}

public sealed record CapLimits(
    [property: JsonPropertyName("day")] long? Day,
    [property: JsonPropertyName("month")] long? Month,
    [property: JsonPropertyName("lifetime")] long? Lifetime)
{
    [JsonIgnore]
    public bool IsEmpty => Day is null && Month is null && Lifetime is null;

    public long? For(string period) => period switch { CapPeriods.Day => Day, CapPeriods.Month => Month, _ => Lifetime };
}

public sealed record MoneyCapLimits(
    [property: JsonPropertyName("day")] decimal? Day,
    [property: JsonPropertyName("month")] decimal? Month,
    [property: JsonPropertyName("lifetime")] decimal? Lifetime)
{
    [JsonIgnore]
    public bool IsEmpty => Day is null && Month is null && Lifetime is null;

    public decimal? For(string period) => period switch { CapPeriods.Day => Day, CapPeriods.Month => Month, _ => Lifetime };
}

public static class CapPeriods
{
    public const string Day = "day";
    public const string Month = "month";
    public const string Lifetime = "lifetime";

    public static readonly string[] All = [Day, Month, Lifetime];

    /// <summary>Where the period after the one holding the instant starts (UTC); the end of time for the lifetime.</summary>
    public static long EndOf(string period, long atMs)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(StartOf(period, atMs));
        return period switch
        {
            // The last day and month of year 9999 have no next one: they run to the end of time.
            Day when start.Date < DateTime.MaxValue.Date => start.AddDays(1).ToUnixTimeMilliseconds(),
            Month when start.Year < 9999 || start.Month < 12 => start.AddMonths(1).ToUnixTimeMilliseconds(),
            _ => long.MaxValue,
        };
    }

    /// <summary>Where the period holding the instant starts (UTC); 0 for the lifetime.</summary>
    public static long StartOf(string period, long atMs)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(atMs).UtcDateTime;
        return period switch
        {
            Day => new DateTimeOffset(at.Date, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            Month => new DateTimeOffset(new DateTime(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
            _ => 0,
        };
    }
}
