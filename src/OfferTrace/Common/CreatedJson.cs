using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace OfferTrace.Common;

/// <summary>
/// <c>201 Created</c> with a JSON body written in one synchronous pass into the response buffer through the source
/// generator's serialize method: the tracking endpoints answer this on every event, and the general asynchronous
/// serializer allocated its write stack for each one. The writer escapes as the API's JSON options do, so the bytes
/// are those <c>TypedResults.Created</c> wrote (<c>CreatedBodyTests</c>).
/// </summary>
public sealed class CreatedJson<T>(T value, JsonTypeInfo<T> typeInfo) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        var api = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = api.Encoder }))
            JsonSerializer.Serialize(writer, value, typeInfo);
        return http.Response.BodyWriter.FlushAsync(http.RequestAborted).AsTask();
    }
}
