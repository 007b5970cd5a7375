using OfferTrace.Analytics;
using OfferTrace.Common;

namespace OfferTrace.ClickEvents;

/// <summary>The query of the click-event admin routes: the analytics time range plus <c>site_id</c>, <c>event_type</c> and <c>format</c>.</summary>
public sealed record ClickEventQuery(AnalyticsFilter Range, string? SiteId, string? EventType, bool Csv)
{
    public string Where(string alias = "") =>
        $"{alias}created_at >= @From AND {alias}created_at < @To" + (SiteId is null ? "" : $" AND {alias}site_id = @SiteId") +
        (EventType is null ? "" : $" AND {alias}event_type = @EventType");

    public object Args => new { From = Range.FromMs, To = Range.ToMs, SiteId, EventType };

    public TimeZoneInfo Zone => IanaZones.TryFind(Range.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public static (ClickEventQuery? Query, IResult? Problem) From(HttpContext http, TimeProvider time)
    {
        var (range, problem) = AnalyticsFilter.FromQuery(http, time);
        if (problem is not null) return (null, problem);
        var q = http.Request.Query;
        var format = q["format"].FirstOrDefault() ?? "json";
        if (format is not ("json" or "csv")) return (null, Problems.Validation("format", "must be json or csv"));
        return (new ClickEventQuery(range!, q["site_id"].FirstOrDefault(), q["event_type"].FirstOrDefault(), format == "csv"), null);
    }
}
