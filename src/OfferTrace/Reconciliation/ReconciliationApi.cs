using Microsoft.Net.Http.Headers;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Ledger;
using OfferTrace.Storage;

namespace OfferTrace.Reconciliation;

/// <summary>
/// <c>POST /api/admin/offerwall/reconciliation?network_id=&amp;from=&amp;to=&amp;tz=&amp;format=json|csv</c>: the body is the
/// network's conversion export (<c>text/csv</c> or <c>application/json</c>, at most <see cref="JsonBody.MaxBytes"/>); the
/// answer lists every difference with what is stored here (PRODUCT §5), as JSON or, with <c>format=csv</c>, as CSV.
/// </summary>
public static class ReconciliationApi
{
    public static void MapReconciliation(this RouteGroupBuilder admin) =>
        admin.MapPost("/offerwall/reconciliation", async (HttpRequest request, CatalogCache catalog, Database database, ExchangeRates rates,
            TimeProvider time, CancellationToken ct) =>
        {
            var q = request.Query;
            var errors = new FieldErrors();
            var networkId = q["network_id"].FirstOrDefault();
            if (string.IsNullOrEmpty(networkId)) errors.Add("network_id", "is required");
            var format = q["format"].FirstOrDefault() ?? "json";
            if (format is not ("json" or "csv")) errors.Add("format", "must be json or csv");
            var tzName = q["tz"].FirstOrDefault() ?? "UTC";
            if (!IanaZones.TryFind(tzName, out var zone))
            {
                errors.Add("tz", $"'{tzName}' is not a known IANA time zone");
                zone = TimeZoneInfo.Utc;
            }
            var from = Bound(q["from"].FirstOrDefault(), "from", zone, errors);
            var to = Bound(q["to"].FirstOrDefault(), "to", zone, errors);
            if (from >= to) errors.Add("from", "must be before to");
            if (errors.Any) return (IResult)Problems.Validation(errors.ToDictionary());
            if (!catalog.Current.Networks.TryGetValue(networkId!, out var network)) return Problems.NotFound($"No network '{networkId}'.");

            var (json, typeProblem) = KindOf(request.ContentType);
            if (typeProblem is not null) return typeProblem;
            var (body, bodyProblem) = await ReadBoundedAsync(request, ct);
            if (bodyProblem is not null) return bodyProblem;
            var (export, problem) = ExportReader.Read(body, json, network);
            if (problem is not null) return problem;

            var report = await new Reconciler(database, rates).CompareAsync(network.NetworkId, export!, from, to, time.GetUtcNow(), ct);
            return format == "csv" ? new CsvResult($"reconciliation-{network.NetworkId}.csv", report.WriteCsvAsync) : TypedResults.Ok(report);
        }).Produces<ReconciliationReport>();

    private static long? Bound(string? text, string name, TimeZoneInfo zone, FieldErrors errors)
    {
        if (text is null) return null;
        if (Timestamps.TryParse(text, zone, out var value)) return Timestamps.ToMs(value);
        errors.Add(name, "must be an ISO date (2026-11-01) or date-time");
        return null;
    }

    /// <summary>JSON or CSV, from the content type; a charset other than UTF-8 is refused like any other type.</summary>
    private static (bool Json, IResult? Problem) KindOf(string? contentType)
    {
        if (MediaTypeHeaderValue.TryParse(contentType, out var media) &&
            (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) return (true, null);
            if (media.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)) return (false, null);
        }
        return (false, Problems.UnsupportedMediaType($"Content-Type '{contentType}' is not accepted here; send text/csv or application/json (UTF-8)."));
    }

    private static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadBoundedAsync(HttpRequest request, CancellationToken ct)
    {
        var tooLarge = Problems.TooLarge($"The body exceeds {JsonBody.MaxBytes} bytes.");
        if (request.ContentLength > JsonBody.MaxBytes) return (default, tooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > JsonBody.MaxBytes) return (default, tooLarge);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }
}
