using System.Net;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Fraud;

public sealed class BlocklistTests
{
    private const string Visitor = "81.2.69.142";

    [Fact]
    public async Task Entries_are_validated_listed_and_removed()
    {
        await using var server = await StartAsync("sqlite");
        var bad = await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "planet", value = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("kind", out _));
        var badIp = await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = "300.1.2.3/33" });
        Assert.True(badIp.Expect(HttpStatusCode.BadRequest).Body.GetProperty("errors").TryGetProperty("value", out _));
        var past = await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = Visitor, expires_at = "2020-01-01T00:00:00Z" });
        Assert.True(past.Expect(HttpStatusCode.BadRequest).Body.GetProperty("errors").TryGetProperty("expires_at", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = Visitor })).Status);

        var entry = (await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = "81.2.69.0/24", reason = "click farm" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.StartsWith("blk_", entry.GetProperty("entry_id").GetString());
        Assert.Equal("admin", entry.GetProperty("source").GetString());
        (await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = "81.2.69.0/24" })).Expect(HttpStatusCode.Conflict);
        var list = (await server.Admin.GetJsonAsync("/api/admin/blocklist")).Expect(HttpStatusCode.OK).Body.GetProperty("items");
        Assert.Equal("81.2.69.0/24", Assert.Single(list.EnumerateArray()).GetProperty("value").GetString());

        var id = entry.GetProperty("entry_id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await HttpJson.SendAsync(server.Admin, new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/blocklist/{id}"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await HttpJson.SendAsync(server.Admin, new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/blocklist/{id}"))).Status);
        Assert.Equal("clean", (await Flow.SessionFromAsync(server, Visitor)).GetProperty("fraud").GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_blocked_range_is_recorded_as_fraud_and_never_credited(string provider)
    {
        await using var server = await StartAsync(provider);
        var sessionId = (await Flow.SessionFromAsync(server, Visitor)).GetProperty("session_id").GetString()!;
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var cleanClick = await ClickAsync(server, sessionId);
        Assert.Equal("clean", cleanClick.GetProperty("fraud").GetProperty("status").GetString());

        (await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = "81.2.69.0/24", reason = "click farm" })).Expect(HttpStatusCode.Created);

        var blockedSession = (await Flow.SessionFromAsync(server, "81.2.69.7")).GetProperty("fraud");
        Assert.Equal("fraud", blockedSession.GetProperty("status").GetString());
        var signal = blockedSession.GetProperty("signals")[0];
        Assert.Equal("blocklisted", signal.GetProperty("type").GetString());
        Assert.Equal("click farm", signal.GetProperty("details").GetProperty("reason").GetString());

        // The session predates the block; its next click and the conversion of its earlier click are caught.
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("fraud", (await ClickAsync(server, sessionId)).GetProperty("fraud").GetProperty("status").GetString());
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        var conversion = (await Flow.PostbackAsync(server, cleanClick.GetProperty("click_id").GetString()!, "tx-blocked")).Expect(HttpStatusCode.Created).Body;
        Assert.Equal("fraud", conversion.GetProperty("status").GetString());
        Assert.Equal(0, conversion.GetProperty("points_awarded").GetInt64());
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions"));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_fraud_signals WHERE type = 'blocklisted'"));

        // The offerwall link shows the visitor the offer is not available, and records the click.
        using var go = new HttpRequestMessage(HttpMethod.Get, $"/api/offerwall/go/off_survey?session_id={sessionId}");
        var page = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address }.SendAsync(go);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(page.Headers.Location);
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));
    }

    [Fact]
    public async Task A_device_block_matches_the_fingerprint_and_an_expired_block_stops_matching()
    {
        await using var server = await StartAsync("sqlite");
        var first = await Flow.SessionFromAsync(server, Visitor, extraJson: ""","fingerprint":{"canvas":"c1","webgl":"w1"}""");
        var deviceId = first.GetProperty("fingerprint").GetProperty("device_id").GetString()!;
        (await server.Admin.PostJsonAsync("/api/admin/blocklist", new
        {
            kind = "device", value = deviceId, expires_at = server.Clock.GetUtcNow().AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        })).Expect(HttpStatusCode.Created);

        var again = await Flow.SessionFromAsync(server, "73.162.10.20", extraJson: ""","fingerprint":{"canvas":"c1","webgl":"w1"}""");
        Assert.Equal("blocklisted", again.GetProperty("fraud").GetProperty("signals")[0].GetProperty("type").GetString());
        Assert.Equal("clean", (await Flow.SessionFromAsync(server, Visitor, extraJson: ""","fingerprint":{"canvas":"c2","webgl":"w2"}""")).GetProperty("fraud").GetProperty("status").GetString());

        server.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal("clean", (await Flow.SessionFromAsync(server, Visitor, extraJson: ""","fingerprint":{"canvas":"c1","webgl":"w1"}""")).GetProperty("fraud").GetProperty("status").GetString());
    }

    private static async Task<TestServer> StartAsync(string provider)
    {
        var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        return server;
    }

    private static async Task<JsonElement> ClickAsync(TestServer server, string sessionId) =>
        (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey", mouse_movement_px = 300 }))
        .Expect(HttpStatusCode.Created).Body;
}
