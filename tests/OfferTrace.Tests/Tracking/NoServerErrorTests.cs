using System.Net;
using System.Text;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Tracking;

/// <summary>No input may produce a 500: every route answers garbage with a 4xx problem.</summary>
public sealed class NoServerErrorTests
{
    private static readonly string[] Bodies =
    [
        "", "null", "0", "\"text\"", "[]", "[{}]", "{}", "{\"session_id\":null}", "{\"session_id\":{}}", "{\"offer_id\":[1,2]}",
        "{\"payout\":1e400}", "{\"network_payout\":-0.00001}", "{\"position\":99999999999999999999}", "{\"human_score\":1.5}",
        "{\"impressions\":[null, 1, \"x\", {}]}", "{\"impressions\":{}}", "{\"device\":[]}", "{\"device\":{\"screen_dpi\":1e30}}",
        "{\"user_id\":\"" + new string('u', 5000) + "\"}", "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}",
        "{\"publisher_id\":\"pub_1\",\"placement_id\":\"plc_1\",\"user_id\":\"u\",\"utm\":\"x\",\"fingerprint\":5}",
        "{\"click_id\":\"clk_x\",\"transaction_id\":\"\",\"currency\":\"usd\"}", "{\"status\":\"weird\",\"postback_data\":[1]}",
        "{\"commission_percent\":\"abc\",\"countries\":[\"usa\"],\"allowed_ips\":[\"300.1.1.1\"],\"param_map\":{\"a\":1}}",
    ];

    private static readonly string[] Routes =
    [
        "/api/offerwall/session/create", "/api/offerwall/track/impression", "/api/offerwall/track/click", "/api/offerwall/track/conversion",
        "/api/offerwall/postback/net_1?token=" + Catalogue.NetworkToken, "/api/admin/publishers", "/api/admin/placements", "/api/admin/offers",
        "/api/admin/networks", "/api/admin/keys", "/api/admin/exchange-rates", "/api/admin/blocklist",
        "/api/click-events", "/api/admin/sites", "/api/admin/campaign-costs", "/api/admin/offerwall/redemptions",
        "/api/admin/publishers/pub_1/postback-test", "/api/admin/postbacks/pbk_x/resend", "/api/admin/publishers/pub_1/postbacks/resume",
    ];

    [Fact]
    public async Task Garbage_bodies_on_every_route_are_answered_with_4xx()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var failures = new List<string>();
        foreach (var route in Routes)
        {
            var client = route.StartsWith("/api/admin", StringComparison.Ordinal) ? server.Admin : server.Client;
            foreach (var body in Bodies)
            {
                foreach (var contentType in new[] { "application/json", "text/plain", "application/octet-stream" })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                    var response = await HttpJson.SendAsync(client, request);
                    var status = (int)response.Status;
                    if (status >= 500 || (status >= 400 && response.ContentType != "application/problem+json"))
                        failures.Add($"{route} {contentType} {body[..Math.Min(60, body.Length)]} → {status}");
                }
            }
            var invalidUtf8 = new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
            invalidUtf8.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            var bad = await HttpJson.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, route) { Content = invalidUtf8 });
            if ((int)bad.Status >= 500) failures.Add($"{route} invalid UTF-8 → {(int)bad.Status}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=yesterday")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?tz=Mars/Olympus")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=0001-01-01&tz=Asia/Tokyo")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?to=0001-01-05")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=9999-12-31&to=9999-12-31T23:00:00&tz=America/New_York")]
    [InlineData("/api/admin/offerwall/revenue-analysis?interval=week")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=2026-11-02&to=2026-11-01")]
    [InlineData("/api/admin/offerwall/fraud-analysis?from=yesterday")]
    [InlineData("/api/admin/offerwall/fraud-analysis?tz=Mars/Olympus&publisher_id=%00")]
    [InlineData("/api/admin/click-events?from=yesterday")]
    [InlineData("/api/admin/click-events?limit=0")]
    [InlineData("/api/admin/click-events/reports/roi?by=color")]
    [InlineData("/api/admin/click-events/reports/low-spec?format=xml")]
    [InlineData("/api/admin/google-ads/offline-conversions")]
    [InlineData("/api/admin/google-ads/offline-conversions?site_id=nope")]
    [InlineData("/api/admin/google-ads/invalid-clicks?tz=Mars/Olympus")]
    [InlineData("/api/admin/google-ads/ip-exclusions?days=abc")]
    [InlineData("/api/click-events/trap/site%00/x")]
    [InlineData("/api/admin/publishers?limit=0")]
    [InlineData("/api/admin/postbacks?state=lost")]
    [InlineData("/api/admin/postbacks?limit=5000")]
    [InlineData("/api/admin/postbacks/%00")]
    [InlineData("/api/admin/offerwall/callbacks?limit=-1")]
    [InlineData("/api/admin/publishers?limit=abc")]
    [InlineData("/api/offerwall/go/off_survey?session_id=%00%01")]
    [InlineData("/api/offerwall/go/off_survey?position=abc&session_id=x")]
    [InlineData("/api/offerwall/postback/net_1?token=net-token-1&click_id=%ZZ")]
    public async Task Garbage_query_strings_are_answered_with_4xx(string path)
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var response = await server.Admin.GetJsonAsync(path);
        Assert.InRange((int)response.Status, 400, 499);
    }
}
