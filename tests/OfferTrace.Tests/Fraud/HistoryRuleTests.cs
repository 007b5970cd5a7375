using System.Net;
using Microsoft.Extensions.Options;
using OfferTrace.Fraud;
using OfferTrace.Fraud.History;
using OfferTrace.Fraud.Rules;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Fraud;

public sealed class HistoryRuleTests
{
    private const long Hour = 3_600_000;

    [Theory]
    [InlineData(24 * Hour - 1000, true)]
    [InlineData(24 * Hour, true)]
    [InlineData(24 * Hour + 1000, false)]
    public void A_duplicate_click_counts_inside_its_window(long sinceMs, bool fires)
    {
        const long at = 100 * Hour;
        Assert.Equal(fires, DuplicateClickRule.Check(at - sinceMs, at, 24 * Hour) is not null);
        Assert.Null(DuplicateClickRule.Check(null, at, 24 * Hour));
    }

    [Fact]
    public void The_history_remembers_the_last_click_per_user_and_offer()
    {
        var history = new ClickHistory(24 * Hour, 60);
        Assert.Null(history.Record("81.2.69.142", "u_1", "off_1", 0).PreviousSameUserOfferAt);
        Assert.Null(history.Record("81.2.69.142", "u_1", "off_2", 1000).PreviousSameUserOfferAt);
        Assert.Null(history.Record("81.2.69.142", "u_2", "off_1", 2000).PreviousSameUserOfferAt);
        Assert.Equal(0, history.Record("81.2.69.142", "u_1", "off_1", 3000).PreviousSameUserOfferAt);
        Assert.Null(history.Record("81.2.69.142", "u_1", "off_1", 3000 + 25 * Hour).PreviousSameUserOfferAt);
    }

    [Theory]
    [InlineData(60, false)]
    [InlineData(61, true)]
    public void More_than_sixty_clicks_a_minute_from_one_address_is_a_flood(int clicks, bool fires)
    {
        var history = new ClickHistory(24 * Hour, 60);
        ClickHistoryFacts last = null!;
        // A click every 0.9 s: all inside one minute.
        for (var i = 0; i < clicks; i++) last = history.Record("81.2.69.142", $"u_{i}", "off_1", 10_000 + i * 900L);
        Assert.Equal(clicks, last.ClicksFromIpLastMinute);
        Assert.Equal(fires, ClickFloodRule.Check(last.ClicksFromIpLastMinute, 60) is not null);
    }

    [Fact]
    public void Clicks_older_than_a_minute_leave_the_count()
    {
        var history = new ClickHistory(24 * Hour, 60);
        ClickHistoryFacts last = null!;
        // One every 1.5 s for 3 minutes: 41 in any minute.
        for (var i = 0; i < 120; i++) last = history.Record("81.2.69.142", "u_1", $"off_{i}", i * 1500L);
        Assert.Equal(41, last.ClicksFromIpLastMinute);
    }

    [Theory]
    [InlineData(new long[] { 1000, 1000, 1000, 1000, 1000 }, true)]
    [InlineData(new long[] { 3000, 3010, 2995, 3005, 2990 }, true)]
    [InlineData(new long[] { 800, 2300, 1200, 3100, 950 }, false)]
    [InlineData(new long[] { 1000, 1000, 1000, 1000 }, false)]
    [InlineData(new long[] { 0, 0, 0, 0, 0 }, false)]
    public void Machine_regular_timing(long[] intervals, bool fires) =>
        Assert.Equal(fires, MachineRegularTimingRule.Check(intervals, 5, 0.05) is not null);

    [Fact]
    public void The_fourth_account_on_a_device_is_flagged_and_old_accounts_age_out()
    {
        const long day = 24 * Hour;
        var devices = new DeviceHistory(30 * day);
        Assert.Equal(1, devices.Record("dev_a", "u_1", 0).UserRankOnDevice);
        Assert.Equal(2, devices.Record("dev_a", "u_2", 1 * day).UserRankOnDevice);
        Assert.Equal(3, devices.Record("dev_a", "u_3", 2 * day).UserRankOnDevice);
        Assert.Equal(1, devices.Record("dev_a", "u_1", 3 * day).UserRankOnDevice);
        var fourth = devices.Record("dev_a", "u_4", 4 * day).UserRankOnDevice;
        Assert.Equal(4, fourth);
        Assert.NotNull(SharedDeviceRule.Check(fourth, 3, 30));
        Assert.Null(SharedDeviceRule.Check(3, 3, 30));
        Assert.Equal(1, devices.Record("dev_b", "u_4", 4 * day).UserRankOnDevice);
        Assert.Equal(4, devices.Record("dev_a", "u_4", 15 * day).UserRankOnDevice);
        // On day 40, u_1, u_2 and u_3 (last seen by day 3) have aged out; u_4 (day 15) has not.
        Assert.Equal(2, devices.Record("dev_a", "u_5", 40 * day).UserRankOnDevice);
        Assert.Equal(2, devices.DistinctUsers("dev_a"));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void More_than_five_devices_for_one_user_adds_up(int devices, bool fires)
    {
        var history = new DeviceHistory(30 * 24 * Hour);
        DeviceFacts last = default;
        for (var i = 0; i < devices; i++) last = history.Record($"dev_{i}", "u_1", i * Hour);
        Assert.Equal(devices, last.DevicesOfUser);
        Assert.Equal(fires, ManyDevicesPerUserRule.Check(last.DevicesOfUser, 5, 30) is not null);
        Assert.Equal(1, history.Record("dev_0", "u_1", devices * Hour).UserRankOnDevice);
    }

    [Fact]
    public async Task A_click_flood_from_a_public_address_is_caught_and_the_history_survives_a_restart()
    {
        var database = await TestDatabase.CreateAsync("sqlite");
        var server = await TestServer.StartAsync(database);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var session = await SessionAsync(server, "81.2.69.142", "u_1");
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        string? last = null;
        for (var i = 0; i < 61; i++)
        {
            server.Clock.Advance(TimeSpan.FromMilliseconds(700 + i % 7 * 90));
            last = await ClickAsync(server, session, Catalogue.OfferIds[i % Catalogue.OfferIds.Length]);
        }
        Assert.Contains("click_flood", last!);

        // Loopback traffic (many people behind one address) is never counted as a flood.
        var local = await SessionAsync(server, "10.0.0.7", "u_2");
        for (var i = 0; i < 61; i++)
        {
            server.Clock.Advance(TimeSpan.FromMilliseconds(700));
            last = await ClickAsync(server, local, Catalogue.OfferIds[i % Catalogue.OfferIds.Length]);
        }
        Assert.DoesNotContain("click_flood", last);
        await server.StopAsync();

        await using var restarted = await TestServer.StartAsync(database);
        restarted.Clock.Advance(TimeSpan.FromMinutes(10));
        var again = await ClickAsync(restarted, session, "off_survey");
        Assert.Contains("duplicate_click", again);
    }

    private static async Task<string> SessionAsync(TestServer server, string ip, string userId) =>
        (await Flow.SessionFromAsync(server, ip, userId)).GetProperty("session_id").GetString()!;

    private static async Task<string> ClickAsync(TestServer server, string sessionId, string offerId) =>
        (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = offerId, mouse_movement_px = 300 }))
        .Expect(HttpStatusCode.Created).Body.GetProperty("fraud").ToString();
}
