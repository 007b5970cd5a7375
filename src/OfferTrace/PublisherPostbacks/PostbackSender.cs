using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Enrichment.Ip;

namespace OfferTrace.PublisherPostbacks;

/// <summary>
/// One attempt at a publisher postback: the classic GET of the publisher's URL with its macros replaced, or the signed
/// JSON webhook. Only an answer of 200 counts as delivered (PRODUCT.md §5); anything else is retried.
/// </summary>
public sealed class PostbackSender(IHttpClientFactory clients, IOptions<PostbacksOptions> options, TimeProvider time)
{
    public const string ClientName = "publisher-postbacks";
    private const int ExcerptChars = 512;

    public async Task<AttemptResult> SendAsync(Publisher publisher, string deliveryId, string kind, PostbackPayload payload, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(publisher.PostbackUrl)) return new AttemptResult("(none)", null, null, 0, "The publisher has no postback_url.");
        var webhook = publisher.PostbackMode == PostbackModes.Webhook;
        if (webhook && string.IsNullOrEmpty(publisher.PostbackSecret))
            return new AttemptResult("(not sent)", null, null, 0, "Webhooks are signed: the publisher needs a postback_secret.");
        var target = webhook ? publisher.PostbackUrl : payload.Render(publisher.PostbackUrl, publisher.PostbackSecret);
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return new AttemptResult($"GET {target}", null, null, 0, "The rendered postback URL is not an absolute http(s) URL.");
        using var request = webhook ? Webhook(publisher, uri, deliveryId, kind, payload) : new HttpRequestMessage(HttpMethod.Get, uri);
        var described = $"{request.Method} {request.RequestUri}";

        var client = clients.CreateClient(ClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            return new AttemptResult(described, (int)response.StatusCode, excerpt, watch.ElapsedMilliseconds,
                response.StatusCode == HttpStatusCode.OK ? null : $"The publisher answered {(int)response.StatusCode}, not 200.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AttemptResult(described, null, null, watch.ElapsedMilliseconds, $"No answer within {options.Value.TimeoutSeconds} s.");
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(described, null, null, watch.ElapsedMilliseconds, Describe(e));
        }
    }

    /// <summary>
    /// The signed JSON mode: <c>X-OfferTrace-Signature: t=unix-seconds,v1=hex</c>, HMAC-SHA256 of <c>t.body</c> with the
    /// publisher's secret; during a rotation's grace period a second <c>v1</c> with the previous secret.
    /// </summary>
    private HttpRequestMessage Webhook(Publisher publisher, Uri target, string deliveryId, string kind, PostbackPayload payload)
    {
        var now = time.GetUtcNow();
        var type = kind switch
        {
            DeliveryKind.Reversal => "conversion.reversed",
            DeliveryKind.Test => "postback.test",
            _ => "conversion.credited",
        };
        var body = JsonSerializer.Serialize(new WebhookEvent(deliveryId, type, WebhookEvent.CurrentVersion, Timestamps.Format(now.ToUnixTimeMilliseconds()), payload));
        var t = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signatures = new List<string> { "v1=" + Sign(publisher.PostbackSecret, t, body) };
        if (publisher.PreviousSecret is { } previous && publisher.PreviousSecretUntil > now.ToUnixTimeMilliseconds())
            signatures.Add("v1=" + Sign(previous, t, body));
        var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-OfferTrace-Signature", $"t={t},{string.Join(',', signatures)}");
        request.Headers.TryAddWithoutValidation("X-OfferTrace-Delivery", deliveryId);
        return request;
    }

    public static string Sign(string? secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ""), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptChars * 4];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        if (read == 0) return null;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length > ExcerptChars ? text[..ExcerptChars] : text;
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is TargetRefusedException refused ? refused.Message : e.InnerException?.Message ?? e.Message;

    /// <summary>
    /// The connection step of the postback client: resolves the host and connects only to public addresses unless
    /// private targets are allowed, so neither a publisher's URL nor its DNS can point the server at the internal network.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowPrivate) => async (context, ct) =>
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Where(a => allowPrivate || IsPublicTarget(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new TargetRefusedException(
                $"{host} is a private, loopback or link-local address; postbacks go to public addresses only (Postbacks:AllowPrivateTargets).");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };

    /// <summary>A public address, and for NAT64 (<c>64:ff9b::/96</c>) and 6to4 (<c>2002::/16</c>) also the IPv4 address inside it.</summary>
    public static bool IsPublicTarget(IPAddress address)
    {
        if (!IpEnricher.IsPublic(address)) return false;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)) return IpEnricher.IsPublic(new IPAddress(bytes[12..16]));
        if (bytes[0] == 0x20 && bytes[1] == 0x02) return IpEnricher.IsPublic(new IPAddress(bytes[2..6]));
        return true;
    }

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private sealed class TargetRefusedException(string message) : IOException(message);
}

/// <summary>What one attempt sent and got back, for the delivery log.</summary>
public sealed record AttemptResult(string Request, int? StatusCode, string? ResponseExcerpt, long LatencyMs, string? Error)
{
    public bool Delivered => StatusCode == 200;
}

/// <summary>The body of a webhook: a versioned event around the postback's values.</summary>
public sealed record WebhookEvent(
    [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] int Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("created_at")] string CreatedAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("data")] PostbackPayload Data)
{
    public const int CurrentVersion = 1;
}
