using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfferTrace.Common;

/// <summary>
/// <c>201 Created</c> with a JSON body written in one synchronous pass into the response buffer through the source
/// generator's serialize method: the tracking endpoints answer this on every event, and the general asynchronous
/// serializer allocated its write stack for each one. Same bytes as <c>TypedResults.Created</c>.
/// </summary>
public sealed class CreatedJson<T>(T value, JsonTypeInfo<T> typeInfo) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(http.Response.BodyWriter)) JsonSerializer.Serialize(writer, value, typeInfo);
        return http.Response.BodyWriter.FlushAsync(http.RequestAborted).AsTask();
    }
}
