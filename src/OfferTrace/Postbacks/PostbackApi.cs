using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>
    /// Every callback is stored as received: with the conversion it caused in that conversion's transaction, or alone
    /// with the reason it caused none (refused, invalid, unknown click). A 503 stores nothing: the network retries.
    /// </summary>
    private static async Task<IResult> HandleAsync(HttpContext http, string? pathNetworkId, CancellationToken ct)
    {
        var services = http.RequestServices;
        var received = new ReceivedCallback(http, pathNetworkId, services.GetRequiredService<ClientIpResolver>().Resolve(http),
            services.GetRequiredService<TimeProvider>().GetUtcNow());
        IResult result;
        try
        {
            result = await ProcessAsync(http, received, ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException) && !received.Stored)
        {
            // A bug must not lose the callback: kept as received, it can be replayed once the bug is fixed.
            await KeepAsync(services, received, CallbackOutcome.Error, StatusCodes.Status500InternalServerError, $"{e.GetType().Name}: {e.Message}");
            throw;
        }
        if (!received.Stored && ProblemOf(result) is { Status: >= 400 and < 500 } problem)
            await KeepAsync(services, received, CallbackOutcome.OfStatus(problem.Status), problem.Status, problem.Detail);
        return result;
    }

    /// <summary>Stores a callback that caused nothing; the answer stands whether or not its record could be written.</summary>
    private static async Task KeepAsync(IServiceProvider services, ReceivedCallback received, string outcome, int status, string? reason)
    {
        var item = new RawCallbackItem(received.Capture(), outcome, status, reason is { Length: > 2000 } ? reason[..2000] : reason, received.TransactionId);
        if (!services.GetRequiredService<IngestWriter>().TryEnqueue(item)) return;
        try
        {
            await item.Completion;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage is failing too; the caller gets its answer regardless.
        }
    }

    private static (int Status, string? Detail)? ProblemOf(IResult result) => result switch
    {
        ProblemHttpResult p => (p.StatusCode, p.ProblemDetails.Detail),
        ValidationProblem v => (v.StatusCode, string.Join("; ", v.ProblemDetails.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))),
        _ => null,
    };

    private static async Task<IResult> ProcessAsync(HttpContext http, ReceivedCallback received, CancellationToken ct)
    {
        var pathNetworkId = received.NetworkId;
        // A network id in the path that could be no network's was dropped by ReceivedCallback: answer as for an unknown one.
        if (pathNetworkId is null && http.Request.RouteValues.ContainsKey("networkId"))
            return Problems.NotFound("No network with that id.");
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
            received.Body = read;
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
                if (parameters.Any(p => p.Key.Contains('\0') || p.Value.Contains('\0')))
                    return Problems.Validation("body", "A form field contains the NUL character (%00).");
            }
            if (json is not null)
            {
                foreach (var p in json.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) parameters[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }

            var networkId = pathNetworkId ?? parameters.GetValueOrDefault("network_id");
            received.NetworkId = networkId;
            var catalog = services.GetRequiredService<CatalogCache>().Current;
            if (networkId is null || !catalog.Networks.TryGetValue(networkId, out var network))
            {
                return pathNetworkId is not null
                    ? Problems.NotFound($"No network '{pathNetworkId}'.")
                    : Problems.Unauthorized(networkId is null ? "network_id is required to authenticate the callback." : $"Unknown network_id '{networkId}'.");
            }

            var ip = received.SourceIp;
            var baseUrl = services.GetRequiredService<IOptions<NetworkOptions>>().Value.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
            var refusal = PostbackAuthenticator.Check(network, new PostbackRequest(ip, request.Method, baseUrl, received.PathAndQuery, query, parameters, body,
                request.Headers["X-OfferTrace-Token"].FirstOrNull(), request.Headers["X-OfferTrace-Signature"].FirstOrNull()));
            if (refusal is not null) return Problems.Unauthorized(refusal);

            using var canonical = Canonical(json, parameters, network);
            if (canonical.RootElement.TryGetProperty("transaction_id", out var tx) && tx.ValueKind == JsonValueKind.String) received.TransactionId = tx.GetString();
            var context = new TrackingContext(received.Now, ip, null, null, null);
            var conversions = services.GetRequiredService<ConversionService>();
            var outcome = await conversions.RecordAsync(canonical.RootElement, network, context, ct, received.Capture());
            if (!outcome.IsSuccess) return outcome.ToProblem(services.GetRequiredService<IngestWriter>().RetryAfterSeconds);
            received.Stored = true;
            var write = outcome.Value!;
            if (write.IsNew) return TypedResults.Created($"/api/admin/offerwall/conversions/{write.ConversionId}", ConversionView.Of(write.Record!));
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

/// <summary>What the handler learns of a callback as it reads it, for its raw record.</summary>
internal sealed class ReceivedCallback(HttpContext http, string? networkId, System.Net.IPAddress sourceIp, DateTimeOffset now)
{
    /// <summary>Kept only when it could be a network id, so a garbage one cannot break the raw record's index.</summary>
    public string? NetworkId { get => _networkId; set => _networkId = Ids.IsValidExternal(value) ? value : null; }

    private string? _networkId = Ids.IsValidExternal(networkId) ? networkId : null;
    public System.Net.IPAddress SourceIp { get; } = sourceIp;
    public DateTimeOffset Now { get; } = now;
    public ReadOnlyMemory<byte> Body { get; set; }
    /// <summary>Kept for look-ups only when it could be a valid id.</summary>
    public string? TransactionId
    {
        get => _transactionId;
        set => _transactionId = value is { Length: <= ConversionService.MaxTransactionIdLength } ? value : null;
    }

    private string? _transactionId;

    /// <summary>True once the raw record travels with the conversion's rows.</summary>
    public bool Stored { get; set; }

    public string PathAndQuery { get; } =
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;

    public RawCallback Capture() => RawCallback.Capture(http, PathAndQuery, Body, NetworkId, SourceIp.ToString(), Now);
}

/// <summary>The JSON body of a conversion callback (for the API reference).</summary>
public sealed record ConversionRequestDoc(string NetworkId, string ClickId, string TransactionId, decimal? NetworkPayout, string? Currency,
    string? Status, string? OfferId, JsonElement? PostbackData);
