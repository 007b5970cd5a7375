using System.Text;
using System.Text.Json;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Postbacks;

/// <summary>
/// A network callback as received: method, the URL as on the request line, the headers that matter, the body and the
/// caller's address. Secrets a caller sends (the token) are not kept; signatures are, since they prove nothing later.
/// </summary>
public sealed record RawCallback(string CallbackId, long ReceivedAt, string? NetworkId, string Method, string Url, string Headers, string? Body,
    string SourceIp)
{
    private static readonly string[] KeptHeaders = ["Content-Type", "User-Agent", "X-OfferTrace-Signature", "X-Forwarded-For"];

    public static RawCallback Capture(HttpContext http, string pathAndQuery, ReadOnlyMemory<byte> body, string? networkId, string sourceIp, DateTimeOffset now)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in KeptHeaders)
        {
            if (http.Request.Headers.TryGetValue(name, out var value)) headers[name] = value.ToString();
        }
        if (http.Request.Headers.ContainsKey("X-OfferTrace-Token")) headers["X-OfferTrace-Token"] = "(not kept)";
        return new RawCallback(Ids.New(Ids.Callback, now), now.ToUnixTimeMilliseconds(), networkId, http.Request.Method, WithoutToken(pathAndQuery),
            // Bytes that stored text cannot hold (invalid UTF-8, NUL) become U+FFFD.
            JsonSerializer.Serialize(headers), body.IsEmpty ? null : Encoding.UTF8.GetString(body.Span).Replace('\0', '\uFFFD'), sourceIp);
    }

    /// <summary>The path and query with the value of a <c>token</c> parameter left out.</summary>
    public static string WithoutToken(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?');
        if (q < 0) return pathAndQuery;
        var parts = pathAndQuery[(q + 1)..].Split('&')
            .Select(p => p.StartsWith("token=", StringComparison.Ordinal) ? "token=(not+kept)" : p);
        return pathAndQuery[..q] + "?" + string.Join('&', parts);
    }
}

/// <summary>What became of a callback; <c>accepted</c> and <c>duplicate</c> are written with the conversion they concern.</summary>
public static class CallbackOutcome
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string StatusChanged = "status_changed";
    public const string Refused = "refused";
    public const string Invalid = "invalid";
    public const string Unprocessable = "unprocessable";
    public const string NotFound = "not_found";
    public const string Error = "error";

    public static string OfStatus(int status) => status switch
    {
        401 or 403 => Refused,
        404 => NotFound,
        422 => Unprocessable,
        _ => Invalid,
    };
}

public static class RawCallbackRows
{
    private static readonly SqlStatement Insert = SqlStatement.Insert("raw_callbacks",
        "callback_id, received_at, network_id, method, url, headers, body, source_ip, outcome, http_status, reason, transaction_id, conversion_id");

    public static void Queue(IStatementRunner runner, RawCallback c, string outcome, int httpStatus, string? reason, string? transactionId, string? conversionId) =>
        runner.Queue(Insert,
            [c.CallbackId, c.ReceivedAt, c.NetworkId, c.Method, c.Url, c.Headers, c.Body, c.SourceIp, outcome, httpStatus, reason, transactionId, conversionId]);
}

/// <summary>A callback that caused no conversion (refused, invalid, unknown click): stored alone, so an admin can see why.</summary>
internal sealed class RawCallbackItem(RawCallback callback, string outcome, int httpStatus, string? reason, string? transactionId,
    string? conversionId = null) : IngestItem<bool>
{
    protected override ValueTask<bool> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        RawCallbackRows.Queue(context.Runner, callback, outcome, httpStatus, reason, transactionId, conversionId);
        return ValueTask.FromResult(true);
    }
}
