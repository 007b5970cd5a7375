using System.Globalization;

namespace OfferTrace.Common;

/// <summary>Timestamps are stored as Unix milliseconds (UTC) and written as ISO-8601 with millisecond precision.</summary>
public static class Timestamps
{
    public static long ToMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string Format(long ms) =>
        FromMs(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset t) => Format(ToMs(t));

    /// <summary>
    /// Parses an ISO date (midnight in <paramref name="zone"/>) or an ISO date-time (offset or Z; none means the zone).
    /// Only years 1970–9000 are times this service can hold (Unix milliseconds, with room for a report's window).
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        try
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                value = AtZone(date.ToDateTime(TimeOnly.MinValue), zone);
            }
            else
            {
                if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dt)) return false;
                value = dt.Kind switch
                {
                    DateTimeKind.Utc => new DateTimeOffset(dt, TimeSpan.Zero),
                    DateTimeKind.Local => new DateTimeOffset(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero),
                    _ => AtZone(dt, zone),
                };
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
        return value.UtcDateTime.Year is >= 1970 and <= 9000;
    }

    private static DateTimeOffset AtZone(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
