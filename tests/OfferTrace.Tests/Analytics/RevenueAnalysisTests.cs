using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Analytics;

/// <summary>Revenue analysis: credited money of known conversions by offer, publisher and local day or hour, from rollups and raw events.</summary>
public sealed class RevenueAnalysisTests
{
    private const string Route = "/api/admin/offerwall/revenue-analysis";

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Credited_money_over_two_days_and_two_publishers_leaves_the_chargeback_out(string provider)
    {
        await using var server = await StartWithConversionsAsync(provider);

        foreach (var source in new[] { "rollups", "raw" })
        {
            var report = await GetAsync(server, $"{Route}?from=2026-11-01&to=2026-11-03{(source == "raw" ? "&source=raw" : "")}");
            Assert.Equal((source, "USD", "UTC", "day"), (report.Str("source"), report.Str("currency"), report.Str("tz"), report.Str("interval")));
            Assert.Equal(("2026-11-01T00:00:00.000Z", "2026-11-03T00:00:00.000Z"), (report.Str("from"), report.Str("to")));
            Assert.Equal(Money("180.00", "90.00", "63.00", "27.00", 3), Figures(report.Body.GetProperty("totals")));
            Assert.Equal([("pub_1", Money("100.00", "50.00", "35.00", "15.00", 1)), ("pub_2", Money("80.00", "40.00", "28.00", "12.00", 2))],
                Keyed(report, "by_publisher", "publisher_id"));
            Assert.Equal([("off_survey", Money("160.00", "80.00", "56.00", "24.00", 2)), ("off_02", Money("20.00", "10.00", "7.00", "3.00", 1))],
                Keyed(report, "by_offer", "offer_id"));
            Assert.Equal([("2026-11-01", Money("120.00", "60.00", "42.00", "18.00", 2)), ("2026-11-02", Money("60.00", "30.00", "21.00", "9.00", 1))],
                Keyed(report, "trend", "period"));
        }

        // Per hour: every hour of the range is a period, the empty ones zero.
        var hourly = await GetAsync(server, $"{Route}?from=2026-11-01&to=2026-11-03&interval=hour");
        var trend = Keyed(hourly, "trend", "period");
        Assert.Equal(48, trend.Count);
        Assert.Equal(("2026-11-01T00:00", Money("120.00", "60.00", "42.00", "18.00", 2)), trend[0]);
        Assert.Equal(("2026-11-02T10:00", Money("60.00", "30.00", "21.00", "9.00", 1)), trend[34]);
        Assert.Equal(46, trend.Count(t => t.Figures == Money("0.00", "0.00", "0.00", "0.00", 0)));

        // Filters narrow every part of the answer.
        var offer = await GetAsync(server, $"{Route}?from=2026-11-01&to=2026-11-03&offer_id=off_02");
        Assert.Equal(Money("20.00", "10.00", "7.00", "3.00", 1), Figures(offer.Body.GetProperty("totals")));
        Assert.Equal(["pub_2"], Keyed(offer, "by_publisher", "publisher_id").Select(r => r.Key));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Days_and_hours_are_those_of_the_report_time_zone(string provider)
    {
        await using var server = await StartWithConversionsAsync(provider);

        // New York: the first day's conversions fall on the evening of 31 October; 1 November has 25 hours (clocks go back).
        var newYork = await GetAsync(server, $"{Route}?from=2026-10-31&to=2026-11-03&tz=America/New_York");
        Assert.Equal("rollups", newYork.Str("source"));
        Assert.Equal([("2026-10-31", Money("120.00", "60.00", "42.00", "18.00", 2)), ("2026-11-01", Money("0.00", "0.00", "0.00", "0.00", 0)),
            ("2026-11-02", Money("60.00", "30.00", "21.00", "9.00", 1))], Keyed(newYork, "trend", "period"));

        // Kolkata (UTC+05:30): 00:06Z and 00:36Z share a UTC hour but not a local one, so hourly rollups cannot answer.
        var kolkata = await GetAsync(server, $"{Route}?from=2026-10-31T18:00:00Z&to=2026-11-01T18:00:00Z&tz=Asia/Kolkata&interval=hour");
        Assert.Equal("raw", kolkata.Str("source"));
        var trend = Keyed(kolkata, "trend", "period");
        Assert.Equal(("2026-10-31T23:00", "2026-11-01T23:00", 25), (trend[0].Key, trend[^1].Key, trend.Count));
        Assert.Equal(Money("100.00", "50.00", "35.00", "15.00", 1), trend.Single(t => t.Key == "2026-11-01T05:00").Figures);
        Assert.Equal(Money("20.00", "10.00", "7.00", "3.00", 1), trend.Single(t => t.Key == "2026-11-01T06:00").Figures);
        Assert.Equal(Money("120.00", "60.00", "42.00", "18.00", 2), Figures(kolkata.Body.GetProperty("totals")));
    }

    [Fact]
    public async Task A_publisher_key_reads_only_its_own_revenue()
    {
        await using var server = await StartWithConversionsAsync("sqlite");
        var key = (await server.Admin.PostJsonAsync("/api/admin/keys", new { name = "pub 2", scope = "publisher:pub_2" })).Expect(HttpStatusCode.Created).Str("key");
        using var publisher = new HttpClient { BaseAddress = server.Address };
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var own = (await publisher.GetJsonAsync($"{Route}?from=2026-11-01&to=2026-11-03")).Expect(HttpStatusCode.OK);
        Assert.Equal(Money("80.00", "40.00", "28.00", "12.00", 2), Figures(own.Body.GetProperty("totals")));
        Assert.Equal(["pub_2"], Keyed(own, "by_publisher", "publisher_id").Select(r => r.Key));
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.GetJsonAsync($"{Route}?publisher_id=pub_1")).Status);

        foreach (var query in new[] { "?interval=week", "?tz=Mars/Olympus", "?from=2026-11-02&to=2026-11-01", "?from=1990-01-01&interval=hour",
                     "?from=0001-01-01&tz=Asia/Tokyo", "?to=0001-01-05", "?from=9999-12-31&to=9999-12-31T23:00:00&tz=America/New_York" })
        {
            var answer = await server.Admin.GetJsonAsync(Route + query);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{query} → {(int)answer.Status}");
        }
    }

    /// <summary>
    /// Publishers pub_1 and pub_2 with the default split (user 50 %, publisher 35 %). On 1 November (UTC): pub_1 $100.00 at
    /// 00:06, pub_2 $20.00 on off_02 at 00:36, pub_1 $40.00 at 00:42 charged back; on 2 November pub_2 $60.00 at 10:06.
    /// </summary>
    private static async Task<TestServer> StartWithConversionsAsync(string provider)
    {
        var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_2", name = "Publisher Two" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/placements", new { placement_id = "plc_2", publisher_id = "pub_2", name = "Wall", kind = "web" }))
            .Expect(HttpStatusCode.Created);

        (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_1"), "tx-a", 100.00m)).Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(24));
        (await Flow.PostbackAsync(server, await ClickAsync(server, "u_2", "pub_2", "plc_2", "off_02"), "tx-b", 20.00m)).Expect(HttpStatusCode.Created);
        var reversed = await Flow.ClickAsync(server, "u_3");
        (await Flow.PostbackAsync(server, reversed, "tx-c", 40.00m)).Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        (await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = reversed, transaction_id = "tx-c", status = "reversed" })).Expect(HttpStatusCode.OK);

        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
        (await Flow.PostbackAsync(server, await ClickAsync(server, "u_4", "pub_2", "plc_2", "off_survey"), "tx-d", 60.00m)).Expect(HttpStatusCode.Created);
        return server;
    }

    /// <summary>As <see cref="Flow.ClickAsync"/>, for any publisher and placement.</summary>
    private static async Task<string> ClickAsync(TestServer server, string userId, string publisherId, string placementId, string offerId)
    {
        var sessionId = (await server.Client.PostJsonAsync("/api/offerwall/session/create", new { user_id = userId, publisher_id = publisherId, placement_id = placementId }))
            .Expect(HttpStatusCode.Created).Str("session_id");
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var click = await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = offerId, mouse_movement_px = 300 });
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        return click.Expect(HttpStatusCode.Created).Str("click_id");
    }

    private static async Task<ApiResponse> GetAsync(TestServer server, string path) => (await server.Admin.GetJsonAsync(path)).Expect(HttpStatusCode.OK);

    private static string Money(string payout, string rewards, string commission, string platform, long conversions) =>
        $"payout={payout} rewards={rewards} commission={commission} platform={platform} profit={platform} conversions={conversions}";

    /// <summary>The money of a row as written (raw JSON numbers, so the scale counts too).</summary>
    private static string Figures(JsonElement row) =>
        $"payout={row.GetProperty("network_payout").GetRawText()} rewards={row.GetProperty("user_rewards").GetRawText()} " +
        $"commission={row.GetProperty("publisher_commission").GetRawText()} platform={row.GetProperty("platform_revenue").GetRawText()} " +
        $"profit={row.GetProperty("profit").GetRawText()} conversions={row.GetProperty("conversions").GetInt64()}";

    private static List<(string Key, string Figures)> Keyed(ApiResponse report, string list, string key) =>
        report.Body.GetProperty(list).EnumerateArray().Select(r => (r.GetProperty(key).GetString()!, Figures(r))).ToList();
}
