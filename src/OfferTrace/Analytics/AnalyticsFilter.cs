using OfferTrace.Admin;
using OfferTrace.Common;

namespace OfferTrace.Analytics;

/// <summary>The common query of admin analytics: a time range in a report time zone and the dimension filters.</summary>
public sealed record AnalyticsFilter(DateTimeOffset From, DateTimeOffset To, string TimeZone, string? PublisherId, string? OfferId, string? Country,
    string? DeviceType)
{
    private const long HourMs = 3_600_000;

    public long FromMs => From.ToUnixTimeMilliseconds();
    public long ToMs => To.ToUnixTimeMilliseconds();

    /// <summary>Hourly rollups answer exactly when both ends fall on hour boundaries.</summary>
    public bool FitsRollups => FromMs % HourMs == 0 && ToMs % HourMs == 0;

    public static (AnalyticsFilter? Filter, IResult? Problem) FromQuery(HttpContext http, TimeProvider time)
    {
        var q = http.Request.Query;
        var errors = new FieldErrors();
        var tzName = q["tz"].FirstOrDefault() ?? "UTC";
        if (!IanaZones.TryFind(tzName, out var zone))
        {
            errors.Add("tz", $"'{tzName}' is not a known IANA time zone");
            zone = TimeZoneInfo.Utc;
        }

        var now = time.GetUtcNow();
        var defaultTo = Timestamps.FromMs((now.ToUnixTimeMilliseconds() / HourMs + 1) * HourMs);
        var to = Parse(q["to"].FirstOrDefault(), "to", zone, errors) ?? defaultTo;
        var from = Parse(q["from"].FirstOrDefault(), "from", zone, errors) ?? to.AddDays(-30);
        if (from >= to) errors.Add("from", "must be before to");

        var caller = Caller.Of(http);
        var publisherId = q["publisher_id"].FirstOrDefault();
        if (caller.PublisherId is { } own)
        {
            if (publisherId is not null && publisherId != own)
                return (null, Problems.Forbidden("A publisher key reads only its own publisher's data."));
            publisherId = own;
        }
        if (errors.Any) return (null, Problems.Validation(errors.ToDictionary()));
        return (new AnalyticsFilter(from, to, tzName, publisherId, q["offer_id"].FirstOrDefault(), q["country"].FirstOrDefault(),
            q["device_type"].FirstOrDefault()), null);
    }

    private static DateTimeOffset? Parse(string? text, string name, TimeZoneInfo zone, FieldErrors errors)
    {
        if (text is null) return null;
        if (Timestamps.TryParse(text, zone, out var value)) return value;
        errors.Add(name, "must be an ISO date (2026-11-01) or date-time");
        return null;
    }
}
