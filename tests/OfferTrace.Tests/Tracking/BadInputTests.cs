using System.Net;
using System.Text;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Tracking;

/// <summary>Bad input gets a 4xx problem naming the problem, never a 500, and loses nothing already stored.</summary>
public sealed class BadInputTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Every_kind_of_bad_input_is_a_named_4xx_and_leaves_stored_data_alone(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clickId = await Flow.ClickAsync(server);
        (await Flow.PostbackAsync(server, clickId, "tx-good")).Expect(HttpStatusCode.Created);
        var before = await Snapshot(server);
        var sessionId = await Flow.SessionAsync(server, "u_2");
        var afterSession = await Snapshot(server);

        var click = "/api/offerwall/track/click";
        var postback = $"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}";

        var malformed = await server.Client.SendJsonAsync(HttpMethod.Post, click, "{\"session_id\": ");
        AssertProblem(malformed, 400, "body");

        var wrongTypes = await server.Client.SendJsonAsync(HttpMethod.Post, click,
            $"{{\"session_id\": \"{sessionId}\", \"offer_id\": 12, \"position\": \"first\", \"mouse_movement_px\": true, \"human_score\": 101}}");
        AssertProblem(wrongTypes, 400, "offer_id", "position", "mouse_movement_px", "human_score");

        var missingIds = await server.Client.PostJsonAsync(click, new { position = 1 });
        AssertProblem(missingIds, 400, "session_id", "offer_id");

        var unknownOffer = await server.Client.PostJsonAsync(click, new { session_id = sessionId, offer_id = "off_nope" });
        AssertProblem(unknownOffer, 422);
        Assert.Contains("off_nope", unknownOffer.Str("detail"));

        var unknownSession = await server.Client.PostJsonAsync(click, new { session_id = "ses_nope", offer_id = "off_survey" });
        AssertProblem(unknownSession, 422);

        var negativePayout = await server.Client.PostJsonAsync(postback, new { click_id = clickId, transaction_id = "tx-neg", network_payout = -5 });
        AssertProblem(negativePayout, 400, "network_payout");

        var textPayout = await server.Client.PostJsonAsync(postback, new { click_id = clickId, transaction_id = "tx-text", network_payout = "lots" });
        AssertProblem(textPayout, 400, "network_payout");

        var tooPrecise = await server.Client.PostJsonAsync(postback, new { click_id = clickId, transaction_id = "tx-prec", network_payout = 1.23456m });
        AssertProblem(tooPrecise, 400, "network_payout");

        var unknownCurrency = await server.Client.PostJsonAsync(postback, new { click_id = clickId, transaction_id = "tx-cur", network_payout = 5, currency = "XYZ" });
        AssertProblem(unknownCurrency, 400, "currency");

        var noRate = await server.Client.PostJsonAsync(postback, new { click_id = clickId, transaction_id = "tx-eur", network_payout = 5, currency = "EUR" });
        AssertProblem(noRate, 422);
        Assert.Contains("EUR", noRate.Str("detail"));

        var huge = "{\"session_id\": \"" + new string('x', 10 * 1024 * 1024) + "\"}";
        // A client that sends Expect: 100-continue hears the refusal before it sends the body.
        using var largeRequest = new HttpRequestMessage(HttpMethod.Post, click) { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        largeRequest.Headers.ExpectContinue = true;
        var tooLarge = await HttpJson.SendAsync(server.Client, largeRequest);
        AssertProblem(tooLarge, 413);

        var wrongType = await server.Client.SendJsonAsync(HttpMethod.Post, click, "<click/>", "application/xml");
        AssertProblem(wrongType, 415);
        Assert.Contains("application/xml", wrongType.Str("detail"));

        var arrayBody = await server.Client.SendJsonAsync(HttpMethod.Post, "/api/offerwall/session/create", "[1,2]");
        AssertProblem(arrayBody, 400, "body");

        var tooMany = await server.Client.PostJsonAsync("/api/offerwall/track/impression", new
        {
            session_id = sessionId, impressions = Enumerable.Range(1, 501).Select(i => new { offer_id = "off_survey", position = i }).ToArray(),
        });
        AssertProblem(tooMany, 400, "impressions");

        var badImpression = await server.Client.PostJsonAsync("/api/offerwall/track/impression", new
        {
            session_id = sessionId, impressions = new object[] { new { offer_id = "off_survey", visible_percent = 150 }, "nope" },
        });
        AssertProblem(badImpression, 400, "impressions[0].visible_percent", "impressions[1]");

        var badDevice = await server.Client.PostJsonAsync("/api/offerwall/session/create", new
        {
            user_id = "u_3", publisher_id = "pub_1", placement_id = "plc_1", device = new { screen_dpi = "high", is_webdriver = "maybe" },
        });
        AssertProblem(badDevice, 400, "device.screen_dpi", "device.is_webdriver");

        Assert.Equal(afterSession, await Snapshot(server));
        Assert.NotEqual(before, afterSession);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Text_plain_bodies_holding_json_are_accepted_for_send_beacon(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var response = await server.Client.SendJsonAsync(HttpMethod.Post, "/api/offerwall/session/create",
            "{\"user_id\":\"u_9\",\"publisher_id\":\"pub_1\",\"placement_id\":\"plc_1\"}", "text/plain");
        response.Expect(HttpStatusCode.Created);
    }

    private static void AssertProblem(ApiResponse response, int status, params string[] fields)
    {
        Assert.True((int)response.Status == status, $"Expected {status} but got {(int)response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(status, response.Body.GetProperty("status").GetInt32());
        if (fields.Length == 0) return;
        var errors = response.Body.GetProperty("errors");
        foreach (var field in fields) Assert.True(errors.TryGetProperty(field, out _), $"'{field}' is not named in {errors}");
    }

    private static async Task<string> Snapshot(TestServer server)
    {
        var sb = new StringBuilder();
        foreach (var table in new[] { "offerwall_sessions_detailed", "offerwall_impressions_detailed", "offerwall_clicks_detailed",
                     "offerwall_conversions_detailed", "user_points_transactions", "publisher_earnings", "network_payouts" })
        {
            sb.Append(table).Append('=').Append(await Sql.ScalarAsync<long>(server, $"SELECT COUNT(*) FROM {table}")).Append(';');
        }
        sb.Append("points=").Append(await Sql.ScalarAsync<long>(server, "SELECT COALESCE(SUM(total_points), 0) FROM user_points"));
        return sb.ToString();
    }
}
