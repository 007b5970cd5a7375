using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace OfferTrace.Common;

/// <summary>
/// <c>201 Created</c> with a JSON body written in one synchronous pass through the source generator's serialize
/// method: the tracking endpoints answer this on every event, and the general asynchronous serializer allocated its
/// write stack for each one. The body is serialised into a per-thread buffer first, so the response carries its
/// <c>Content-Length</c> instead of chunked framing, and Kestrel sends headers and body together when the request
/// ends. The writer escapes as the API's JSON options do, so the bytes are those <c>TypedResults.Created</c> wrote
/// (<c>CreatedBodyTests</c>).
/// </summary>
public sealed class CreatedJson<T>(T value, JsonTypeInfo<T> typeInfo) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.ContentType = "application/json; charset=utf-8";
        CreatedJsonBuffer.Write(http, value, typeInfo);
        return Task.CompletedTask;
    }
}

/// <summary>
/// One reusable buffer and JSON writer per thread: a body is serialised and copied out before the thread moves on. The
/// largest body is an impression batch's ids (at most 500, about 20 KB), so a thread's buffer stays small.
/// </summary>
internal static class CreatedJsonBuffer
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;
    [ThreadStatic] private static JsonSerializerOptions? _writerOptionsFor;

    public static void Write<T>(HttpContext http, T value, JsonTypeInfo<T> typeInfo)
    {
        var api = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        if (_writer is null || !ReferenceEquals(_writerOptionsFor, api))
        {
            _writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = api.Encoder });
            _writerOptionsFor = api;
        }
        else
        {
            _writer.Reset(buffer);
        }
        JsonSerializer.Serialize(_writer, value, typeInfo);
        _writer.Flush();
        http.Response.ContentLength = buffer.WrittenCount;
        http.Response.BodyWriter.Write(buffer.WrittenSpan);
    }
}
