using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Health;

public sealed class OperationsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Health_reports_live_and_ready_with_the_storage_provider(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        (await server.Client.GetJsonAsync("/health/live")).Expect(HttpStatusCode.OK);
        var ready = (await server.Client.GetJsonAsync("/health/ready")).Expect(HttpStatusCode.OK);
        Assert.Equal(provider, ready.Str("storage"));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_and_the_reference_page_serves()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var document = (await server.Client.GetJsonAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var paths = document.Body.GetProperty("paths");
        foreach (var path in new[]
                 {
                     "/api/offerwall/session/create", "/api/offerwall/track/impression", "/api/offerwall/track/click", "/api/offerwall/go/{offerId}",
                     "/api/offerwall/track/conversion", "/api/offerwall/postback/{networkId}", "/api/admin/publishers", "/api/admin/placements",
                     "/api/admin/offers", "/api/admin/networks", "/api/admin/keys", "/api/admin/exchange-rates", "/api/admin/import",
                     "/api/admin/offerwall/comprehensive-analytics", "/health/ready",
                 })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");

        var page = await server.Client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problem_responses()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var missing = await server.Client.GetJsonAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("application/problem+json", missing.ContentType);
        var method = await server.Client.SendJsonAsync(HttpMethod.Put, "/api/offerwall/track/click", "{}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.Status);
    }
}
