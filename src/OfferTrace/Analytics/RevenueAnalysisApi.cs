using System.Text.Json.Serialization;
using OfferTrace.Admin;
using OfferTrace.Common;
using OfferTrace.Ledger;
using OfferTrace.Storage;

namespace OfferTrace.Analytics;

/// <summary>
/// <c>GET /api/admin/offerwall/revenue-analysis</c> (PRODUCT §7): network payout, user rewards, publisher commission,
/// platform revenue and profit of credited conversions, in total, by offer, by publisher and per day (or hour with
/// <c>interval=hour</c>) of the report time zone, over the analytics filter; a publisher key sees its own.
/// </summary>
public static class RevenueAnalysisApi
{
    public static void MapRevenueAnalysis(this RouteGroupBuilder admin) =>
        admin.MapGroup("/offerwall").WithMetadata(new PublisherReadable())
            .MapGet("/revenue-analysis", async (HttpContext http, Database database, ExchangeRates rates, TimeProvider time, CancellationToken ct) =>
            {
                var (filter, problem) = AnalyticsFilter.FromQuery(http, time);
                if (problem is not null) return problem;
                var f = filter!;
                var interval = http.Request.Query["interval"].FirstOrDefault() ?? "day";
                if (interval is not ("day" or "hour")) return Problems.Validation("interval", "must be day or hour");
                var (periods, periodsProblem) = RevenuePeriods.Of(f, interval == "hour");
                if (periodsProblem is not null) return periodsProblem;

                var rollups = f.FitsRollups && periods!.OnWholeHours && http.Request.Query["source"] != "raw";
                var currency = rates.BaseCurrency;
                var totals = (await RevenueQueries.SumAsync(database, f, null, rollups, ct))[0].Sums;
                var byOffer = await RevenueQueries.SumAsync(database, f, "offer_id", rollups, ct);
                var byPublisher = await RevenueQueries.SumAsync(database, f, "publisher_id", rollups, ct);
                var perPeriod = new Dictionary<string, RevenueSums>(StringComparer.Ordinal);
                foreach (var (row, sums) in await RevenueQueries.SumAsync(database, f, "slot", rollups, ct))
                {
                    var label = periods!.LabelOf(row.Long("dim"));
                    perPeriod[label] = perPeriod.GetValueOrDefault(label) + sums;
                }

                IReadOnlyList<RevenueRow> Ranked(List<(DbRow Row, RevenueSums Sums)> rows, Func<string, RevenueSums, RevenueRow> view) =>
                    rows.Where(r => !r.Sums.IsZero)
                        .OrderByDescending(r => r.Sums.NetworkPayout).ThenBy(r => r.Row.Str("dim"), StringComparer.Ordinal)
                        .Select(r => view(r.Row.Str("dim"), r.Sums)).ToList();
                return TypedResults.Ok(new RevenueAnalysis(Timestamps.Format(f.From), Timestamps.Format(f.To), f.TimeZone, interval,
                    rollups ? "rollups" : "raw", currency, RevenueRow.Of(totals, currency),
                    Ranked(byOffer, (id, s) => RevenueRow.Of(s, currency) with { OfferId = id }),
                    Ranked(byPublisher, (id, s) => RevenueRow.Of(s, currency) with { PublisherId = id }),
                    periods!.Labels.Select(p => RevenueRow.Of(perPeriod.GetValueOrDefault(p), currency) with { Period = p }).ToList()));
            }).Produces<RevenueAnalysis>();
}

public sealed record RevenueAnalysis(string From, string To, string Tz, string Interval, string Source, string Currency, RevenueRow Totals,
    IReadOnlyList<RevenueRow> ByOffer, IReadOnlyList<RevenueRow> ByPublisher, IReadOnlyList<RevenueRow> Trend);

/// <summary>
/// Money of one group in the base currency, exact and shown with at least the currency's minor digits. Profit is what
/// the platform keeps of the network payout once the user reward and the publisher commission are paid, i.e. its
/// platform revenue; OfferTrace records no other cost to subtract. The group's key (offer, publisher or period) is
/// written only in the lists keyed by it.
/// </summary>
public sealed record RevenueRow(decimal NetworkPayout, decimal UserRewards, decimal PublisherCommission, decimal PlatformRevenue, decimal Profit,
    long Conversions)
{
    [JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OfferId { get; init; }

    [JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublisherId { get; init; }

    [JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Period { get; init; }

    public static RevenueRow Of(RevenueSums s, string currency)
    {
        decimal M(long units) => MoneyFormat.ToMinor(Money.FromUnits(units), currency);
        return new RevenueRow(M(s.NetworkPayout), M(s.UserReward), M(s.PublisherCommission), M(s.PlatformRevenue),
            M(s.NetworkPayout - s.UserReward - s.PublisherCommission), s.Conversions);
    }
}
