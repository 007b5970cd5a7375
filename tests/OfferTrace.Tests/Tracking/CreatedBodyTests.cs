using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OfferTrace.Tests.Infrastructure;
using OfferTrace.Tracking;
using Xunit;

namespace OfferTrace.Tests.Tracking;

/// <summary>The tracking endpoints write their 201 bodies themselves: the bytes must be what the API's JSON options write, with their length.</summary>
public sealed class CreatedBodyTests
{
    [Fact]
    public async Task Session_impression_and_click_bodies_are_the_bytes_the_api_json_options_write()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var options = server.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        var session = await PostAsync(server, "/api/offerwall/session/create", """{"user_id":"u_1","publisher_id":"pub_1","placement_id":"plc_1"}""");
        AssertSameAsApi<SessionView>(session, options);
        var sessionId = JsonDocument.Parse(session).RootElement.GetProperty("session_id").GetString();

        var impressions = await PostAsync(server, "/api/offerwall/track/impression",
            $$"""{"session_id":"{{sessionId}}","impressions":[{"offer_id":"off_survey","position":1}]}""");
        AssertSameAsApi<ImpressionsView>(impressions, options);

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        // Without mouse movement the click's velocity is null: the body must still carry it.
        var click = await PostAsync(server, "/api/offerwall/track/click", $$"""{"session_id":"{{sessionId}}","offer_id":"off_survey"}""");
        AssertSameAsApi<ClickView>(click, options);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(click).RootElement.GetProperty("click_velocity").ValueKind);
    }

    private static async Task<string> PostAsync(TestServer server, string path, string json)
    {
        using var response = await server.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        // The length is known before the body is sent: no chunked framing.
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        return Encoding.UTF8.GetString(body);
    }

    private static void AssertSameAsApi<T>(string body, JsonSerializerOptions options) =>
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(body, options), options), body);
}
