using System.Text;
using OfferTrace.Catalog;
using OfferTrace.ClickEvents;
using OfferTrace.Common;

namespace OfferTrace.GoogleAds;

/// <summary>
/// <c>/api/admin/google-ads/...</c>: <c>offline-conversions</c> (CSV, <c>site_id</c> required, times in the site's
/// time zone unless <c>tz</c> is given), <c>retractions</c> (CSV), <c>invalid-clicks</c> (JSON or CSV, the last 60 days
/// unless <c>from</c> is given), <c>ip-exclusions</c> (text, one entry a line, <c>days</c> to change the window).
/// The two conversion files remember what they handed out: a conversion is exported until retracted, and retracted once.
/// </summary>
public static class GoogleAdsApi
{
    public static void MapGoogleAds(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/google-ads").WithTags("Google Ads");

        group.MapGet("/offline-conversions", async (HttpContext http, GoogleAdsExports exports, CatalogCache catalog, TimeProvider time, CancellationToken ct) =>
        {
            var (site, q, problem) = SiteQuery(http, catalog, time);
            if (problem is not null) return problem;
            var rows = await exports.OfflineConversionsAsync(site!, q!, ct);
            // Google reads this file: click ids must stay exact, so no formula guard.
            return new CsvResult($"google-ads-conversions-{site!.SiteId}.csv", csv =>
            {
                csv.Line("Parameters:TimeZone=" + q!.Range.TimeZone);
                csv.Line(GoogleAdsExports.ConversionHeader);
                foreach (var r in rows) csv.Row(r.Gclid, r.Name, r.Time, r.Value, r.Currency);
                return Task.CompletedTask;
            }, guardFormulas: false);
        });

        group.MapGet("/retractions", async (HttpContext http, GoogleAdsExports exports, CatalogCache catalog, TimeProvider time, CancellationToken ct) =>
        {
            var (site, q, problem) = SiteQuery(http, catalog, time);
            if (problem is not null) return problem;
            var rows = await exports.RetractionsAsync(site!, q!.Zone, ct);
            return new CsvResult($"google-ads-retractions-{site!.SiteId}.csv", csv =>
            {
                csv.Line("Parameters:TimeZone=" + q.Range.TimeZone);
                csv.Line(GoogleAdsExports.RetractionHeader);
                foreach (var r in rows) csv.Row(r.Gclid, r.Name, r.ConversionTime, r.AdjustmentTime, "RETRACT", null, null);
                return Task.CompletedTask;
            }, guardFormulas: false);
        });

        group.MapGet("/invalid-clicks", async (HttpContext http, GoogleAdsExports exports, Microsoft.Extensions.Options.IOptions<GoogleAdsOptions> options,
            TimeProvider time, CancellationToken ct) =>
        {
            var (q, problem) = ClickEventQuery.From(http, time);
            if (problem is not null) return problem;
            if (!http.Request.Query.ContainsKey("from"))
                q = q! with { Range = q.Range with { From = q.Range.To.AddDays(-options.Value.InvalidClickDays) } };
            var rows = await exports.InvalidClicksAsync(q!, ct);
            if (!q!.Csv) return TypedResults.Ok(new InvalidClicksReport(ReasonCodes.Version, rows));
            return new CsvResult("invalid-clicks.csv", csv =>
            {
                csv.Row("event_id", "time", "site_id", "event_type", "gclid", "campaign", "keyword", "ip", "asn", "isp", "city", "country_code", "user_agent", "os",
                    "browser", "url", "fraud_score", "fraud_status", "reason_codes_version", "reason_codes", "evidence");
                foreach (var r in rows)
                {
                    csv.Row(r.EventId, r.CreatedAt, r.SiteId, r.EventType, r.ClickId, r.Campaign, r.Keyword, r.Ip, r.Asn, r.AsOrg, r.City, r.CountryCode,
                        r.UserAgent, r.Os, r.Browser, r.PageUrl, r.FraudScore, r.FraudStatus, r.ReasonCodesVersion, r.Reasons.Select(s => s.Code).ToList(),
                        string.Join("; ", r.Reasons.Select(s => $"{s.Code} {s.Evidence.GetRawText()}")));
                }
                return Task.CompletedTask;
            });
        });

        group.MapGet("/ip-exclusions", async Task<IResult> (HttpContext http, GoogleAdsExports exports,
            Microsoft.Extensions.Options.IOptions<GoogleAdsOptions> options, CatalogCache catalog, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "site_id")] string? siteId,
            string? days, CancellationToken ct) =>
        {
            var window = options.Value.IpExclusionDays;
            if (days is not null && (!int.TryParse(days, out window) || window is < 1 or > 365)) return Problems.Validation("days", "must be a whole number from 1 to 365");
            if (siteId is not null && !catalog.Current.Sites.ContainsKey(siteId)) return Problems.NotFound($"No site '{siteId}'.");
            var entries = await exports.IpExclusionsAsync(siteId, window, ct);
            if (http.Request.Query["format"].FirstOrDefault() == "json") return TypedResults.Ok(new IpExclusionReport(window, entries));
            var text = new StringBuilder();
            foreach (var e in entries) text.Append(e.Entry).Append('\n');
            return TypedResults.Text(text.ToString(), "text/plain; charset=utf-8");
        });
    }

    private static (Site? Site, ClickEventQuery? Query, IResult? Problem) SiteQuery(HttpContext http, CatalogCache catalog, TimeProvider time)
    {
        var siteId = http.Request.Query["site_id"].FirstOrDefault();
        if (siteId is null) return (null, null, Problems.Validation("site_id", "is required: each site has its own Google Ads account and conversions"));
        if (!catalog.Current.Sites.TryGetValue(siteId, out var site)) return (null, null, Problems.NotFound($"No site '{siteId}'."));
        var (q, problem) = ClickEventQuery.From(http, time);
        if (problem is not null) return (null, null, problem);
        if (!http.Request.Query.ContainsKey("tz")) q = q! with { Range = q.Range with { TimeZone = site.TimeZone } };
        return (site, q, null);
    }
}

public sealed record InvalidClicksReport(string ReasonCodesVersion, IReadOnlyList<InvalidClick> Clicks);

public sealed record IpExclusionReport(int Days, IReadOnlyList<IpExclusion> Entries);
