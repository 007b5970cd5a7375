using System.Net;
using System.Text;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests;

/// <summary>PRODUCT.md §8 must come out exactly, through the import and through the live API.</summary>
public sealed class WorkedExampleTests
{
    private static readonly DateTimeOffset SessionAt = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static string WorkedExampleNdjson()
    {
        var lines = new List<object>
        {
            new
            {
                kind = "session", occurred_at = Iso(SessionAt), ip = "203.0.113.42", user_agent = Catalogue.ChromeOnMac, session_id = "ses_we",
                user_id = "u_42", publisher_id = "pub_1", placement_id = "plc_1",
                device = new { type = "desktop", screen_resolution = "1920x1080", timezone = "America/New_York", language = "en-US", hardware_concurrency = 8, touch_points = 0 },
            },
        };
        var impressionsAt = SessionAt.AddSeconds(1);
        var offers = Catalogue.OfferIds;
        for (var i = 0; i < offers.Length; i++)
        {
            lines.Add(new
            {
                kind = "impression", occurred_at = Iso(impressionsAt), session_id = "ses_we", impression_id = $"imp_we_{i + 1}", offer_id = offers[i],
                position = i + 1, view_duration_ms = 2500, visible_percent = 100,
            });
        }
        var clickAt = impressionsAt.AddMilliseconds(3500);
        lines.Add(new { kind = "click", occurred_at = Iso(clickAt), session_id = "ses_we", click_id = "clk_we", offer_id = "off_survey", impression_id = "imp_we_1", position = 1, mouse_movement_px = 450 });
        lines.Add(new
        {
            kind = "conversion", occurred_at = Iso(clickAt.AddSeconds(450)), network_id = "net_1", click_id = "clk_we", transaction_id = "adv-tx-778",
            network_payout = 100.00m, currency = "USD", status = "approved",
        });
        return string.Join('\n', lines.Select(l => JsonSerializer.Serialize(l))) + "\n";
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Worked_example_replayed_through_import_comes_out_exactly(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);

        var report = await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", WorkedExampleNdjson(), "application/x-ndjson");
        report.Expect(HttpStatusCode.OK);
        Assert.Equal(31, report.Body.GetProperty("accepted").GetInt64());
        Assert.Equal(0, report.Body.GetProperty("rejected").GetInt64());

        await AssertWorkedExampleAsync(server, "ses_we", "clk_we");

        var check = (await server.Admin.GetJsonAsync("/api/admin/maintenance/rollups/check")).Expect(HttpStatusCode.OK);
        Assert.Empty(check.Body.GetProperty("differences").EnumerateArray());
        Assert.True(check.Body.GetProperty("rollup_rows").GetInt64() >= 3);

        await Sql.ScalarAsync<long>(server, "UPDATE rollup_hourly SET clicks = clicks + 1 WHERE clicks > 0");
        var tampered = (await server.Admin.GetJsonAsync("/api/admin/maintenance/rollups/check")).Expect(HttpStatusCode.OK);
        var difference = Assert.Single(tampered.Body.GetProperty("differences").EnumerateArray());
        Assert.Contains("off_survey", difference.GetProperty("key").GetString());
        Assert.Contains("clicks=1", difference.GetProperty("recounted").GetString());
        Assert.Contains("clicks=2", difference.GetProperty("stored").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Worked_example_through_the_live_api_with_a_test_clock_gives_the_same_result(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        server.Clock.SetUtcNow(SessionAt);

        var session = await Send(server, "/api/offerwall/session/create", new
        {
            user_id = "u_42", publisher_id = "pub_1", placement_id = "plc_1",
            device = new { type = "desktop", screen_resolution = "1920x1080", timezone = "America/New_York", language = "en-US", hardware_concurrency = 8, touch_points = 0 },
        });
        session.Expect(HttpStatusCode.Created);
        var sessionId = session.Str("session_id");
        Assert.Equal("203.0.113.42", session.Body.GetProperty("network").GetProperty("ip").GetString());
        Assert.Equal(JsonValueKind.Null, session.Body.GetProperty("geo").GetProperty("country").ValueKind);
        Assert.Equal("Chrome", session.Body.GetProperty("device").GetProperty("browser").GetString());
        Assert.Equal("MacOS", session.Body.GetProperty("device").GetProperty("os").GetString());

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var impressions = await Send(server, "/api/offerwall/track/impression", new
        {
            session_id = sessionId,
            impressions = Catalogue.OfferIds.Select((o, i) => new { offer_id = o, position = i + 1, view_duration_ms = 2500, visible_percent = 100 }).ToArray(),
        });
        impressions.Expect(HttpStatusCode.Created);
        var impressionIds = impressions.Body.GetProperty("impression_ids").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(28, impressionIds.Count);

        server.Clock.Advance(TimeSpan.FromMilliseconds(3500));
        var click = await Send(server, "/api/offerwall/track/click", new
        {
            session_id = sessionId, offer_id = "off_survey", impression_id = impressionIds[0], position = 1, mouse_movement_px = 450,
        });
        click.Expect(HttpStatusCode.Created);
        var clickId = click.Str("click_id");
        Assert.Equal($"https://adv.example/offer?cid={clickId}&uid=u_42", click.Str("redirect_url"));
        Assert.Equal(3500, click.Body.GetProperty("time_to_click_ms").GetInt64());
        Assert.Equal(0.1286, Math.Round(click.Body.GetProperty("click_velocity").GetDouble(), 4));

        server.Clock.Advance(TimeSpan.FromSeconds(450));
        var conversion = await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}", new
        {
            click_id = clickId, transaction_id = "adv-tx-778", network_payout = 100.00m, currency = "USD", status = "approved",
        });
        conversion.Expect(HttpStatusCode.Created);
        var payout = conversion.Body.GetProperty("payout");
        Assert.Equal("100.00", payout.GetProperty("network_payout").GetRawText());
        Assert.Equal("50.00", payout.GetProperty("user_reward").GetRawText());
        Assert.Equal("35.00", payout.GetProperty("publisher_commission").GetRawText());
        Assert.Equal("15.00", payout.GetProperty("platform_revenue").GetRawText());
        Assert.Equal(5000, conversion.Body.GetProperty("points_awarded").GetInt64());
        Assert.Equal("approved", conversion.Str("status"));

        await AssertWorkedExampleAsync(server, sessionId, clickId);
    }

    private static Task<ApiResponse> Send(TestServer server, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.ParseAdd(Catalogue.ChromeOnMac);
        request.Headers.Add("X-Forwarded-For", "203.0.113.42");
        return HttpJson.SendAsync(server.Client, request);
    }

    private static async Task AssertWorkedExampleAsync(TestServer server, string sessionId, string clickId)
    {
        foreach (var source in new[] { "rollups", "raw" })
        {
            var analytics = await server.Admin.GetJsonAsync($"/api/admin/offerwall/comprehensive-analytics?from=2026-11-01&to=2026-11-02&source={source}");
            analytics.Expect(HttpStatusCode.OK);
            var t = analytics.Body.GetProperty("totals");
            Assert.Equal(source, analytics.Str("source"));
            Assert.Equal(1, t.GetProperty("sessions").GetInt64());
            Assert.Equal(28, t.GetProperty("impressions").GetInt64());
            Assert.Equal(1, t.GetProperty("clicks").GetInt64());
            Assert.Equal(1, t.GetProperty("conversions").GetInt64());
            Assert.Equal("3.57", t.GetProperty("ctr").GetRawText());
            Assert.Equal("100.00", t.GetProperty("cvr").GetRawText());
            Assert.Equal("100.00", t.GetProperty("network_payout").GetRawText());
            Assert.Equal("50.00", t.GetProperty("user_rewards").GetRawText());
            Assert.Equal("35.00", t.GetProperty("publisher_commission").GetRawText());
            Assert.Equal("15.00", t.GetProperty("platform_revenue").GetRawText());
            Assert.Equal("15.00", t.GetProperty("revenue").GetRawText());
            Assert.Equal("100.00", t.GetProperty("epc").GetRawText());
            Assert.Equal(5000, t.GetProperty("points").GetInt64());
        }

        var rows = await Sql.QueryAsync(server, "SELECT fraud_status FROM offerwall_clicks_detailed WHERE click_id = @id", new { id = clickId });
        Assert.Equal("clean", Assert.Single(rows).fraud_status);
        var conversions = await Sql.QueryAsync(server,
            "SELECT fraud_status, status, points, user_reward, publisher_commission, platform_revenue, network_payout, session_id FROM offerwall_conversions_detailed");
        var c = Assert.Single(conversions);
        Assert.Equal("clean", (string)c.fraud_status);
        Assert.Equal("approved", (string)c.status);
        Assert.Equal(sessionId, (string)c.session_id);
        Assert.Equal(5000L, (long)c.points);
        Assert.Equal(1_000_000L, (long)c.network_payout);
        Assert.Equal(500_000L, (long)c.user_reward);
        Assert.Equal(350_000L, (long)c.publisher_commission);
        Assert.Equal(150_000L, (long)c.platform_revenue);
        Assert.Equal(5000L, await Sql.ScalarAsync<long>(server, "SELECT available_points FROM user_points WHERE publisher_id = 'pub_1' AND user_id = 'u_42'"));
        Assert.Equal(350_000L, await Sql.ScalarAsync<long>(server, "SELECT earnings FROM publisher_earnings"));
        Assert.Equal(1_000_000L, await Sql.ScalarAsync<long>(server, "SELECT payout FROM network_payouts"));
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
