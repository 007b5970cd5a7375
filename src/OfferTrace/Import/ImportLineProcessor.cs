using System.Net;
using System.Text.Json;
using OfferTrace.Catalog;
using OfferTrace.ClickEvents;
using OfferTrace.Common;
using OfferTrace.Postbacks;
using OfferTrace.Tracking;
using OfferTrace.Tracking.Clicks;
using OfferTrace.Tracking.Impressions;
using OfferTrace.Tracking.Sessions;

namespace OfferTrace.Import;

/// <summary>Sends one NDJSON line through the same services as live traffic, with the line's own time, IP and user agent.</summary>
public sealed class ImportLineProcessor(SessionService sessions, ImpressionService impressions, ClickService clicks,
    ConversionService conversions, ClickEventService clickEvents, CatalogCache catalog, TimeProvider time)
{
    /// <summary>Validates and queues a line. A queued line's outcome carries the completion to wait for.</summary>
    public async Task<(string? Kind, Outcome<object> Outcome, Task? Completion)> ProcessAsync(ReadOnlyMemory<byte> line, PendingEvents pending, CancellationToken ct)
    {
        var (document, problem) = JsonBody.Parse(line);
        if (problem is not null || document is null)
        {
            var reason = problem is Microsoft.AspNetCore.Http.HttpResults.ValidationProblem v ? string.Join("; ", v.ProblemDetails.Errors.SelectMany(e => e.Value)) : "";
            return (null, Outcome<object>.Fail(400, reason.Length > 0 ? reason : "The line is not a JSON object."), null);
        }
        using (document)
        {
            var root = document.RootElement;
            var r = new FieldReader(root, new FieldErrors());
            var kind = r.String("kind", required: true, maxLength: 32);
            var occurredAt = r.Time("occurred_at") ?? time.GetUtcNow();
            var ipText = r.String("ip", maxLength: 64);
            IPAddress ip = IPAddress.Any;
            if (ipText is not null && !IPAddress.TryParse(ipText, out ip!)) r.Add("ip", "must be an IPv4 or IPv6 address");
            var userAgent = r.String("user_agent", maxLength: 2048);
            var acceptLanguage = r.String("accept_language", maxLength: 256);
            if (r.Errors.Any) return (kind, Outcome<object>.Invalid(r.Errors), null);
            var context = new TrackingContext(occurredAt, ip ?? IPAddress.Any, userAgent, acceptLanguage, pending);

            switch (kind)
            {
                case "session": return (kind, Erase(await sessions.CreateAsync(root, context, ct), out var s), s);
                case "impression": return (kind, Erase(await impressions.TrackAsync(root, context, ct), out var i), i);
                case "click": return (kind, Erase(await clicks.TrackAsync(root, context, ct), out var c), c);
                case "conversion":
                    var networkId = r.Id("network_id", required: true);
                    if (r.Errors.Any) return (kind, Outcome<object>.Invalid(r.Errors), null);
                    if (!catalog.Current.Networks.TryGetValue(networkId!, out var network))
                        return (kind, Outcome<object>.Unprocessable($"Unknown network_id '{networkId}'.", "network_id"), null);
                    return (kind, Erase(await conversions.RecordAsync(root, network, context, ct), out var v), v);
                case "click_event":
                    if (ClickEventInput.Read(r) is not { } input) return (kind, Outcome<object>.Invalid(r.Errors), null);
                    return (kind, Erase(await clickEvents.RecordAsync(input, context, null, ct), out var e), e);
                default:
                    r.Add("kind", "must be one of session, impression, click, conversion, click_event");
                    return (kind, Outcome<object>.Invalid(r.Errors), null);
            }
        }
    }

    private static Outcome<object> Erase<T>(Outcome<T> outcome, out Task? completion)
    {
        completion = outcome.Completion;
        return outcome.IsSuccess ? Outcome<object>.Ok(new object(), outcome.Status) : outcome.As<object>();
    }
}
