using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Storage;
using OfferTrace.Tracking;

namespace OfferTrace.ClickEvents;

/// <summary>
/// The browser-facing routes of ad-click forensics: <c>POST /api/click-events</c> (CORS limited to the sites'
/// <c>allowed_origins</c>; <c>text/plain</c> accepted for <c>navigator.sendBeacon</c>) and the honeypot trap link
/// <c>GET /api/click-events/trap/{site_id}/{token}</c>, which only bots follow.
/// </summary>
public static class ClickEventsApi
{
    public const string CorsPolicy = "click-events";

    public static void MapClickEvents(this RouteGroupBuilder group)
    {
        group.MapPost("/", async (HttpContext http, ClickEventService events, CancellationToken ct) =>
            {
                var (document, problem) = await JsonBody.ReadAsync(http.Request, allowTextPlain: true, ct);
                if (problem is not null) return problem;
                using (document)
                {
                    var outcome = await events.RecordAsync(document!.RootElement, TrackingApi.ContextOf(http), http.Request.Headers.Origin.FirstOrNull(), ct);
                    return outcome.IsSuccess
                        ? new CreatedJson<ClickEventCreated>(new ClickEventCreated(outcome.Value!.EventId, FraudView.Of(outcome.Value.Fraud)), OfferTraceJsonContext.Default.ClickEventCreated)
                        : outcome.ToProblem(http.RequestServices.GetRequiredService<IngestWriter>().RetryAfterSeconds);
                }
            })
            .Accepts<ClickEventRequestDoc>("application/json", "text/plain").Produces<ClickEventCreated>(StatusCodes.Status201Created)
            .RequireCors(CorsPolicy);

        group.MapMethods("/trap/{siteId}/{token}", ["GET", "HEAD", "POST"], async (string siteId, string token, HttpContext http, ClickEventService events,
            CancellationToken ct) =>
        {
            var referrer = http.Request.Headers.Referer.FirstOrNull();
            var pageUrl = Uri.TryCreate(referrer, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && referrer!.Length <= 4096 ? referrer : null;
            var errors = new FieldErrors();
            if (!Ids.IsValidExternal(siteId)) errors.Add("site_id", "must be letters, digits, '_' or '-', at most 64");
            if (!Ids.IsValidExternal(token)) errors.Add("token", "must be letters, digits, '_' or '-', at most 64");
            if (errors.Any) return Problems.Validation(errors.ToDictionary());
            var input = new ClickEventInput(siteId, ClickEventInput.BotTrap, token, null, pageUrl, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, Fraud.Rules.BrowserProbe.None);
            var outcome = await events.RecordAsync(input, TrackingApi.ContextOf(http), null, ct);
            if (outcome.Status == StatusCodes.Status422UnprocessableEntity) return Problems.NotFound($"No site '{siteId}'.");
            if (!outcome.IsSuccess) return outcome.ToProblem(http.RequestServices.GetRequiredService<IngestWriter>().RetryAfterSeconds);
            http.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content("<!doctype html><meta name=\"robots\" content=\"noindex, nofollow\"><title></title>", "text/html; charset=utf-8");
        }).Produces(StatusCodes.Status200OK, contentType: "text/html");
    }
}

public sealed record ClickEventCreated(string EventId, FraudView Fraud);

/// <summary>The request body, for the API reference.</summary>
public sealed record ClickEventRequestDoc(
    string SiteId, string EventType, string? ElementId, string? Fingerprint, string? PageUrl, string? ReferrerUrl, string? Gclid, string? Gbraid,
    string? Wbraid, string? Campaign, string? Source, string? Medium, string? Keyword, int? LocalHour, int? LocalDay, int? TimeOnPage,
    bool? IsWebdriver, string? ScreenRes, string? BrowserTz, int? HumanScore, double? DeviceMemory, int? HardwareConcurrency,
    string? ConnectionType, int? TouchPoints, decimal? Value, string? Currency, string? Platform, string[]? Languages, string? WebglRenderer,
    string? OuterWindow, string[]? Automation, WorkerProbeDoc? Worker);

public sealed record WorkerProbeDoc(string? Platform, int? HardwareConcurrency, double? DeviceMemory, string[]? Languages, string? WebglRenderer);
