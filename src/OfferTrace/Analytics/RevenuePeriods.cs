using System.Globalization;
using OfferTrace.Common;

namespace OfferTrace.Analytics;

/// <summary>
/// The periods of a trend: every local day (<c>2026-11-01</c>) or hour (<c>2026-11-01T13:00</c>) of the report time zone
/// that [from, to) touches, in order. Zone offsets are whole quarter hours, so each period is a set of 15-minute UTC
/// slots; when every period in the range starts on a whole UTC hour, the hourly rollups can answer the trend exactly
/// (not so in Asia/Kolkata, for one).
/// </summary>
public sealed class RevenuePeriods
{
    public const long SlotMs = 900_000;
    public const int MaxPeriods = 10_000;
    private const long HourMs = 3_600_000;

    private readonly TimeZoneInfo _zone;
    private readonly string _format;

    private RevenuePeriods(TimeZoneInfo zone, bool hourly, long fromMs, long toMs)
    {
        _zone = zone;
        _format = hourly ? "yyyy-MM-dd'T'HH':00'" : "yyyy-MM-dd";
        var labels = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var onWholeHours = true;
        string? previous = null;
        for (var slot = fromMs - (fromMs % SlotMs + SlotMs) % SlotMs; slot < toMs; slot += SlotMs)
        {
            var label = LabelOf(slot);
            if (label == previous) continue;
            // A period that starts inside [from, to) must start on a UTC hour for the hourly rollups to fit it.
            if (previous is not null && slot % HourMs != 0) onWholeHours = false;
            previous = label;
            if (seen.Add(label)) labels.Add(label);
        }
        Labels = labels;
        OnWholeHours = onWholeHours;
    }

    /// <summary>Period labels in time order; a local hour that occurs twice (the autumn clock change) is one period.</summary>
    public IReadOnlyList<string> Labels { get; }

    public bool OnWholeHours { get; }

    public static (RevenuePeriods? Periods, IResult? Problem) Of(AnalyticsFilter filter, bool hourly)
    {
        // Local times a day from either end of the calendar cannot be represented.
        if (filter.From.UtcDateTime.Year < 2 || filter.To.UtcDateTime.Year > 9998)
            return (null, Problems.Validation("from", "the range must lie between the years 2 and 9998"));
        var length = hourly ? HourMs : 24 * HourMs;
        if ((filter.ToMs - filter.FromMs) / length + 2 > MaxPeriods)
            return (null, Problems.Validation("interval", $"the range holds more than {MaxPeriods} periods of one {(hourly ? "hour" : "day")}"));
        var zone = IanaZones.TryFind(filter.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        return (new RevenuePeriods(zone, hourly, filter.FromMs, filter.ToMs), null);
    }

    public string LabelOf(long ms) => TimeZoneInfo.ConvertTime(Timestamps.FromMs(ms), _zone).ToString(_format, CultureInfo.InvariantCulture);
}
