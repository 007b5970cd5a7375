using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Storage;
using OfferTrace.Tracking;

namespace OfferTrace.Postbacks;

/// <summary>Server-to-server conversion callbacks: authentication first, then validation, then the idempotent write.</summary>
public static class PostbackApi
{
    public static void MapPostbacks(this RouteGroupBuilder tracking)
    {
        tracking.MapPost("/track/conversion", (HttpContext http, CancellationToken ct) => HandleAsync(http, null, ct))
            .Accepts<ConversionRequestDoc>("application/json")
            .Produces<ConversionView>(StatusCodes.Status201Created)
            .Produces<ConversionView>(StatusCodes.Status200OK);
        tracking.MapMethods("/postback/{networkId}", [HttpMethods.Get, HttpMethods.Post],
                (HttpContext http, string networkId, CancellationToken ct) => HandleAsync(http, networkId, ct))
            .Produces<ConversionView>(StatusCodes.Status201Created)
            .Produces<ConversionView>(StatusCodes.Status200OK);
    }

    private static async Task<IResult> HandleAsync(HttpContext http, string? pathNetworkId, CancellationToken ct)
    {
        var services = http.RequestServices;
        var request = http.Request;
        var body = ReadOnlyMemory<byte>.Empty;
        if (HttpMethods.IsPost(request.Method))
        {
            if (request.ContentLength > JsonBody.MaxBytes) return Problems.TooLarge($"The body exceeds {JsonBody.MaxBytes} bytes.");
            if (!IsAccepted(request.ContentType, pathNetworkId is not null))
                return Problems.UnsupportedMediaType($"Content-Type '{request.ContentType}' is not accepted here; send application/json.");
            var read = await ReadBodyAsync(request, ct);
            if (read is null) return Problems.TooLarge($"The body exceeds {JsonBody.MaxBytes} bytes.");
            body = read;
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        JsonDocument? json = null;
        if (!body.IsEmpty && IsJson(request.ContentType))
        {
            var (parsed, problem) = JsonBody.Parse(body);
            if (problem is not null) return problem;
            json = parsed;
        }
        using (json)
        {
            var parameters = new Dictionary<string, string>(query, StringComparer.Ordinal);
            if (!body.IsEmpty && IsForm(request.ContentType))
            {
                foreach (var (k, v) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span))) parameters[k] = v.ToString();
            }
            if (json is not null)
            {
                foreach (var p in json.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) parameters[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }

            var networkId = pathNetworkId ?? parameters.GetValueOrDefault("network_id");
            var catalog = services.GetRequiredService<CatalogCache>().Current;
            if (networkId is null || !catalog.Networks.TryGetValue(networkId, out var network))
            {
                return pathNetworkId is not null
                    ? Problems.NotFound($"No network '{pathNetworkId}'.")
                    : Problems.Unauthorized(networkId is null ? "network_id is required to authenticate the callback." : $"Unknown network_id '{networkId}'.");
            }

            var ip = services.GetRequiredService<ClientIpResolver>().Resolve(http);
            var baseUrl = services.GetRequiredService<IOptions<NetworkOptions>>().Value.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
            var rawTarget = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
            var refusal = PostbackAuthenticator.Check(network, new PostbackRequest(ip, request.Method, baseUrl, rawTarget, query, parameters, body,
                request.Headers["X-OfferTrace-Token"].FirstOrDefault(), request.Headers["X-OfferTrace-Signature"].FirstOrDefault()));
            if (refusal is not null) return Problems.Unauthorized(refusal);

            using var canonical = Canonical(json, parameters, network);
            var context = new TrackingContext(services.GetRequiredService<TimeProvider>().GetUtcNow(), ip, null, null, null);
            var conversions = services.GetRequiredService<ConversionService>();
            var outcome = await conversions.RecordAsync(canonical.RootElement, network, context, ct);
            if (!outcome.IsSuccess) return outcome.ToProblem(services.GetRequiredService<IngestWriter>().RetryAfterSeconds);
            var write = outcome.Value!;
            if (write.IsNew) return TypedResults.Created($"/api/admin/offerwall/conversions/{write.ConversionId}", ConversionView.Of(write.Record));
            var stored = await conversions.FindAsync(write.ConversionId, ct);
            return TypedResults.Ok(stored);
        }
    }

    /// <summary>One JSON object of our parameter names: the JSON body's values keep their types; query and form values are strings.</summary>
    private static JsonDocument Canonical(JsonDocument? json, Dictionary<string, string> parameters, Network network)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            w.WriteStartObject();
            if (json is not null)
            {
                foreach (var p in json.RootElement.EnumerateObject())
                {
                    var name = network.ParamMap.GetValueOrDefault(p.Name) ?? p.Name;
                    if (!written.Add(name)) continue;
                    w.WritePropertyName(name);
                    p.Value.WriteTo(w);
                }
            }
            foreach (var (key, value) in parameters)
            {
                var name = network.ParamMap.GetValueOrDefault(key) ?? key;
                if (key is "token" or "sig" or "hash" || !written.Add(name)) continue;
                w.WriteString(name, value);
            }
            w.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            ms.Write(buffer, 0, read);
            if (ms.Length > JsonBody.MaxBytes) return null;
        }
        return ms.ToArray();
    }

    private static bool IsAccepted(string? contentType, bool formAllowed) =>
        contentType is null ? formAllowed : IsJson(contentType) || (formAllowed && IsForm(contentType));

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var m) && m.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool IsForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var m) && m.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The JSON body of a conversion callback (for the API reference).</summary>
public sealed record ConversionRequestDoc(string NetworkId, string ClickId, string TransactionId, decimal? NetworkPayout, string? Currency,
    string? Status, string? OfferId, JsonElement? PostbackData);
