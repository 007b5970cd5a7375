using OfferTrace.Admin;
using OfferTrace.Ledger;

namespace OfferTrace.Analytics;

public static class AnalyticsApi
{
    public static void MapAnalytics(this RouteGroupBuilder admin)
    {
        var offerwall = admin.MapGroup("/offerwall").WithMetadata(new PublisherReadable());
        offerwall.MapGet("/comprehensive-analytics", async (HttpContext http, AnalyticsQueries queries, ExchangeRates rates, TimeProvider time,
            CancellationToken ct) =>
        {
            var (filter, problem) = AnalyticsFilter.FromQuery(http, time);
            if (problem is not null) return problem;
            var f = filter!;
            var currency = rates.BaseCurrency;
            var rollups = f.FitsRollups && http.Request.Query["source"] != "raw";
            var totals = (await queries.AggregateAsync(f, null, currency, rollups, ct))[0];
            var byOffer = await queries.AggregateAsync(f, "offer_id", currency, rollups, ct);
            var byPublisher = await queries.AggregateAsync(f, "publisher_id", currency, rollups, ct);
            var byCountry = await queries.AggregateAsync(f, "country_code", currency, rollups, ct);
            var byDevice = await queries.AggregateAsync(f, "device_type", currency, rollups, ct);
            return TypedResults.Ok(new ComprehensiveAnalytics(Common.Timestamps.Format(f.From), Common.Timestamps.Format(f.To), f.TimeZone,
                rollups ? "rollups" : "raw", totals, byOffer.Where(r => r.Key != "").ToList(), byPublisher, byCountry, byDevice));
        }).Produces<ComprehensiveAnalytics>();

        admin.MapGet("/maintenance/rollups/check", async (AnalyticsQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.CheckRollupsAsync(ct)));
    }
}

public sealed record ComprehensiveAnalytics(string From, string To, string Tz, string Source, MetricRow Totals, IReadOnlyList<MetricRow> ByOffer,
    IReadOnlyList<MetricRow> ByPublisher, IReadOnlyList<MetricRow> ByCountry, IReadOnlyList<MetricRow> ByDevice);
