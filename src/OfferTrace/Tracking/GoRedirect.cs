using System.Net;
using OfferTrace.Catalog;
using OfferTrace.Storage;
using OfferTrace.Tracking.Clicks;

namespace OfferTrace.Tracking;

/// <summary>
/// The link the offerwall uses: records the click and redirects to the offer's registered URL only (no open redirect).
/// Unknown offer or session: a 404 page. Paused offer: a 200 page saying the offer is not available, and no redirect.
/// A blocked visitor's click is recorded (judged fraud) and gets the same page: no redirect, nothing to tell it apart.
/// </summary>
public static class GoRedirect
{
    public static async Task<IResult> HandleAsync(HttpContext http, string offerId, string? session_id, string? impression_id, int? position,
        CatalogCache catalog, ClickService clicks, CancellationToken ct)
    {
        if (!catalog.Current.Offers.TryGetValue(offerId, out var offer)) return Page(404, "Offer not found", "This offer does not exist.");
        if (string.IsNullOrEmpty(session_id) || !Common.Ids.IsValidExternal(session_id))
            return Page(404, "Session not found", "This link is missing its session.");
        if (!offer.IsActive) return Page(200, "Offer not available", "This offer is not available right now.");

        var outcome = await clicks.TrackAsync(new ClickInput(null, session_id, offerId, impression_id, position, null, null),
            TrackingApi.ContextOf(http), ct);
        return outcome.Status switch
        {
            < 300 when outcome.Value!.Fraud.Signals.Any(s => s.Type == "blocklisted") =>
                Page(200, "Offer not available", "This offer is not available right now."),
            < 300 => TypedResults.Redirect(outcome.Value!.RedirectUrl),
            422 when outcome.Field == "session_id" => Page(404, "Session not found", "This session does not exist."),
            422 => Page(404, "Not found", outcome.Reason!),
            409 => Page(200, "Offer not available", "This offer is not available right now."),
            503 => Page(503, "Try again", "The service is busy; please try again in a moment.",
                http.RequestServices.GetRequiredService<IngestWriter>().RetryAfterSeconds),
            _ => Page(400, "Bad request", outcome.Reason ?? "The link is not valid."),
        };
    }

    private static IResult Page(int status, string title, string message, int? retryAfter = null)
    {
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
                   $"<title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1>" +
                   $"<p>{WebUtility.HtmlEncode(message)}</p></body></html>";
        return new HtmlPage(status, html, retryAfter);
    }

    private sealed class HtmlPage(int status, string html, int? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            if (retryAfter is { } seconds) httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return httpContext.Response.WriteAsync(html);
        }
    }
}
