using System.Text.Json;
using OfferTrace.Common;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Enrichment.UserAgents;
using OfferTrace.Storage;
using OfferTrace.Tracking.Clicks;
using OfferTrace.Tracking.Impressions;
using OfferTrace.Tracking.Sessions;

namespace OfferTrace.Tracking;

public static class TrackingApi
{
    public const string CorsPolicy = "tracking";

    public static void MapTracking(this RouteGroupBuilder tracking)
    {
        tracking.MapPost("/session/create", (HttpContext http, SessionService sessions, CancellationToken ct) =>
                HandleAsync(http, ct, (body, context) => sessions.CreateAsync(body, context, ct), s => new CreatedJson<SessionView>(SessionView.Of(s), OfferTraceJsonContext.Default.SessionView)))
            .Accepts<SessionRequestDoc>("application/json", "text/plain").Produces<SessionView>(StatusCodes.Status201Created)
            .RequireCors(CorsPolicy);

        tracking.MapPost("/track/impression", (HttpContext http, ImpressionService impressions, CancellationToken ct) =>
                HandleAsync(http, ct, (body, context) => impressions.TrackAsync(body, context, ct),
                    list => new CreatedJson<ImpressionsView>(new ImpressionsView(list.Select(i => i.ImpressionId).ToList()), OfferTraceJsonContext.Default.ImpressionsView)))
            .Accepts<ImpressionRequestDoc>("application/json", "text/plain").Produces<ImpressionsView>(StatusCodes.Status201Created)
            .RequireCors(CorsPolicy);

        tracking.MapPost("/track/click", (HttpContext http, ClickService clicks, CancellationToken ct) =>
                HandleAsync(http, ct, (body, context) => clicks.TrackAsync(body, context, ct), c => new CreatedJson<ClickView>(ClickView.Of(c), OfferTraceJsonContext.Default.ClickView)))
            .Accepts<ClickRequestDoc>("application/json", "text/plain").Produces<ClickView>(StatusCodes.Status201Created)
            .RequireCors(CorsPolicy);

        tracking.MapGet("/go/{offerId}", GoRedirect.HandleAsync);
    }

    public static TrackingContext ContextOf(HttpContext http) => new(
        http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
        http.RequestServices.GetRequiredService<ClientIpResolver>().Resolve(http),
        http.Request.Headers.UserAgent.FirstOrNull(),
        http.Request.Headers.AcceptLanguage.FirstOrNull(),
        null,
        ClientHints.From(http.Request.Headers));

    private static async Task<IResult> HandleAsync<T>(HttpContext http, CancellationToken ct,
        Func<JsonElement, TrackingContext, Task<Outcome<T>>> track, Func<T, IResult> success)
    {
        var (document, problem) = await JsonBody.ReadAsync(http.Request, allowTextPlain: true, ct);
        if (problem is not null) return problem;
        using (document)
        {
            var outcome = await track(document!.RootElement, ContextOf(http));
            return outcome.IsSuccess
                ? success(outcome.Value!)
                : outcome.ToProblem(http.RequestServices.GetRequiredService<IngestWriter>().RetryAfterSeconds);
        }
    }
}
