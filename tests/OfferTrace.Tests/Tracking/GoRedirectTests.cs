using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Tracking;

public sealed class GoRedirectTests
{
    [Fact]
    public async Task Go_records_the_click_and_redirects_only_to_the_offer_url()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var sessionId = await Flow.SessionAsync(server, "user with space");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        var response = await client.GetAsync($"/api/offerwall/go/off_survey?session_id={sessionId}&url=https://evil.example/");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("https://adv.example/offer?cid=clk_", location);
        Assert.EndsWith("&uid=user%20with%20space", location);
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));

        var unknownOffer = await client.GetAsync($"/api/offerwall/go/off_nope?session_id={sessionId}");
        Assert.Equal(HttpStatusCode.NotFound, unknownOffer.StatusCode);
        Assert.Equal("text/html", unknownOffer.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/offerwall/go/off_survey?session_id=ses_nope")).StatusCode);

        (await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/offers/off_02",
            """{"network_id":"net_1","payout":1.5,"url":"https://adv.example/o","status":"paused"}""")).Expect(HttpStatusCode.OK);
        var paused = await client.GetAsync($"/api/offerwall/go/off_02?session_id={sessionId}");
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Null(paused.Headers.Location);
        Assert.Contains("not available", await paused.Content.ReadAsStringAsync());
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));
    }

    [Fact]
    public async Task A_click_sooner_than_500_ms_after_its_impression_is_flagged_and_its_conversion_is_held()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var sessionId = await Flow.SessionAsync(server);
        var impressions = await server.Client.PostJsonAsync("/api/offerwall/track/impression", new { session_id = sessionId, offer_id = "off_survey", position = 1 });
        var impressionId = impressions.Expect(HttpStatusCode.Created).Body.GetProperty("impression_ids")[0].GetString();
        server.Clock.Advance(TimeSpan.FromMilliseconds(499));
        var click = (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey", impression_id = impressionId, mouse_movement_px = 40 }))
            .Expect(HttpStatusCode.Created);
        var fraud = click.Body.GetProperty("fraud");
        Assert.Equal("suspicious", fraud.GetProperty("status").GetString());
        Assert.Equal("fast_click", fraud.GetProperty("signals")[0].GetProperty("type").GetString());

        server.Clock.Advance(TimeSpan.FromMinutes(10));
        var conversion = (await Flow.PostbackAsync(server, click.Str("click_id"), "tx-fast")).Expect(HttpStatusCode.Created);
        Assert.Equal("pending", conversion.Str("status"));
        Assert.Equal(5000, conversion.Body.GetProperty("points_awarded").GetInt64());
        Assert.Equal(5000, await Sql.ScalarAsync<long>(server, "SELECT pending_points FROM user_points WHERE user_id = 'u_1'"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT available_points FROM user_points WHERE user_id = 'u_1'"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_fraud_signals WHERE type = 'fast_click'"));
    }

    [Fact]
    public async Task Webdriver_sessions_are_fraud_and_their_conversions_are_not_credited()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var session = (await server.Client.PostJsonAsync("/api/offerwall/session/create", new
        {
            user_id = "bot", publisher_id = "pub_1", placement_id = "plc_1", device = new { is_webdriver = true },
        })).Expect(HttpStatusCode.Created);
        Assert.Equal("fraud", session.Body.GetProperty("fraud").GetProperty("status").GetString());
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var click = (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = session.Str("session_id"), offer_id = "off_survey", mouse_movement_px = 100 }))
            .Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        var conversion = (await Flow.PostbackAsync(server, click.Str("click_id"), "tx-bot")).Expect(HttpStatusCode.Created);
        Assert.Equal("fraud", conversion.Str("status"));
        Assert.Equal(0, conversion.Body.GetProperty("points_awarded").GetInt64());
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions"));

        var analytics = (await server.Admin.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics?from=2026-11-01&to=2026-11-02")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, analytics.Body.GetProperty("totals").GetProperty("conversions").GetInt64());
        Assert.Equal(1, analytics.Body.GetProperty("totals").GetProperty("fraud_conversions").GetInt64());
    }
}
