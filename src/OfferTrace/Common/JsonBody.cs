using System.Buffers;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace OfferTrace.Common;

/// <summary>Reads a bounded JSON body: 415 for a wrong content type, 413 past the limit, 400 for malformed JSON.</summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, bool allowTextPlain, CancellationToken ct)
    {
        if (!IsAcceptedContentType(request.ContentType, allowTextPlain))
        {
            var accepted = allowTextPlain ? "application/json or text/plain" : "application/json";
            return (null, Problems.UnsupportedMediaType($"Content-Type '{request.ContentType}' is not accepted here; send {accepted}."));
        }
        if (request.ContentLength > MaxBytes) return (null, TooLarge());

        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is long n and > 0 ? (int)n + 1 : 16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > MaxBytes) return (null, TooLarge());
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBytes + 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) break;
                length += read;
                if (length > MaxBytes) return (null, TooLarge());
            }
            return Parse(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static (JsonDocument? Document, IResult? Problem) Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty) return (null, Problems.Validation("body", "The body is empty; a JSON object is expected."));
        // The parser checks strings only when they are read; checking up front keeps a bad byte from surfacing later as an error.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span)) return (null, Problems.Validation("body", "The body is not valid UTF-8."));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation("body", $"Malformed JSON: {e.Message}"));
        }
        if (UnstorableTextProblem(utf8.Span) is { } unstorable)
        {
            document.Dispose();
            return (null, unstorable);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.Validation("body", "The body must be a JSON object."));
        }
        return (document, null);
    }

    /// <summary>
    /// A 400 when a string or property name of well-formed JSON escapes text that cannot be stored: half of a UTF-16
    /// surrogate pair (<c>"\ud800"</c>, which the parser accepts but has no text for) or the NUL character
    /// (<c>"\u0000"</c>, which PostgreSQL refuses in text and JSON). Scanned only when the body has an escape.
    /// </summary>
    public static IResult? UnstorableTextProblem(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOf("\\u"u8) < 0) return null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped &&
                    reader.GetString()!.Contains('\0'))
                    return Problems.Validation("body", "A string in the body contains the NUL character (\\u0000), which is not stored.");
            }
        }
        catch (InvalidOperationException)
        {
            return Problems.Validation("body", "A string in the body escapes half of a UTF-16 surrogate pair (such as \\ud800), which is not text.");
        }
        return null;
    }

    private static IResult TooLarge() => Problems.TooLarge($"The body exceeds {MaxBytes} bytes.");

    private static bool IsAcceptedContentType(string? contentType, bool allowTextPlain)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return false;
        return media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
               (allowTextPlain && media.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase));
    }
}
