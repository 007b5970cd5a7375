using System.Net;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Ledger;

/// <summary>Offer caps: conversions and payout exact under concurrency, per day / month / lifetime; clicks stop at theirs.</summary>
public sealed class CapsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_daily_conversion_cap_credits_exactly_that_many_under_concurrency_and_opens_again_the_next_day(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await SetCapsAsync(server, new { conversions = new { day = 3 } });
        var clicks = new List<string>();
        for (var i = 0; i < 10; i++) clicks.Add(await Flow.ClickAsync(server, $"u_{i}"));

        using var gate = new SemaphoreSlim(0);
        var calls = clicks.Select(async (clickId, i) =>
        {
            await gate.WaitAsync();
            return await Flow.PostbackAsync(server, clickId, $"tx-{i}");
        }).ToList();
        gate.Release(10);
        var answers = await Task.WhenAll(calls);

        Assert.All(answers, a => a.Expect(HttpStatusCode.Created));
        Assert.Equal(3, answers.Count(a => a.Str("status") == "approved"));
        Assert.Equal(7, answers.Count(a => a.Str("status") == "rejected"));
        Assert.All(answers.Where(a => a.Str("status") == "rejected"), a => Assert.Equal(0, a.Body.GetProperty("points_awarded").GetInt64()));
        Assert.Equal(7, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed WHERE status_reason = 'cap_exceeded'"));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions"));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT conversions FROM offer_cap_usage WHERE period = 'day'"));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT SUM(conversions) FROM rollup_hourly WHERE status = 'approved'"));

        server.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_new"), "tx-next")).Expect(HttpStatusCode.Created);
        Assert.Equal("approved", tomorrow.Str("status"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_lifetime_payout_cap_stops_the_conversion_that_would_pass_it(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await SetCapsAsync(server, new { payout = new { lifetime = 250.00m }, conversions = new { month = 100 } });
        var statuses = new List<string>();
        for (var i = 0; i < 3; i++) statuses.Add((await Flow.PostbackAsync(server, await Flow.ClickAsync(server, $"u_{i}"), $"tx-{i}")).Str("status"));
        // 100 + 100 fit in 250; a third 100 would make 300. A smaller payout still fits.
        Assert.Equal(["approved", "approved", "rejected"], statuses);
        var small = await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_small"), "tx-small", payout: 50.00m);
        Assert.Equal("approved", small.Str("status"));
        Assert.Equal(2_500_000, await Sql.ScalarAsync<long>(server, "SELECT payout FROM offer_cap_usage WHERE period = 'lifetime'"));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT conversions FROM offer_cap_usage WHERE period = 'month'"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_conversion_cap_added_later_counts_what_came_before_it(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await SetCapsAsync(server, new { clicks = new { day = 100 } });
        for (var i = 0; i < 2; i++) Assert.Equal("approved", (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, $"u_{i}"), $"tx-{i}")).Str("status"));

        await SetCapsAsync(server, new { clicks = new { day = 100 }, conversions = new { day = 2 } });
        Assert.Equal("rejected", (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_late"), "tx-late")).Str("status"));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT clicks FROM offer_cap_usage WHERE period = 'day'"));
    }

    [Fact]
    public async Task A_click_cap_stops_clicks_and_the_offer_link()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await SetCapsAsync(server, new { clicks = new { day = 2 } });
        var sessionId = await Flow.SessionAsync(server);
        for (var i = 0; i < 2; i++)
        {
            (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey" })).Expect(HttpStatusCode.Created);
        }
        var third = await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey" });
        Assert.Equal(HttpStatusCode.Conflict, third.Status);
        Assert.Contains("click cap for the day", third.Str("detail"));
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        var go = await noRedirect.GetAsync($"/api/offerwall/go/off_survey?session_id={sessionId}");
        Assert.Equal(HttpStatusCode.OK, go.StatusCode);
        Assert.Contains("not available", await go.Content.ReadAsStringAsync());
        Assert.Equal(2, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));
        (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_02" })).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Caps_are_validated_and_shown_on_the_offer()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var bad = await PutOfferAsync(server, new { clicks = new { week = 1 }, conversions = new { day = -1 }, payout = new { day = 1.23456m }, views = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var errors = bad.Body.GetProperty("errors");
        foreach (var field in new[] { "caps.clicks.week", "caps.conversions.day", "caps.payout.day", "caps.views" }) Assert.True(errors.TryGetProperty(field, out _), field);

        (await PutOfferAsync(server, new { conversions = new { day = 5, lifetime = 100 } }, dailyCap: 3)).Expect(HttpStatusCode.OK);
        var offer = (await server.Admin.GetJsonAsync("/api/admin/offers/off_survey")).Expect(HttpStatusCode.OK).Body.GetProperty("caps").GetProperty("conversions");
        Assert.Equal(3, offer.GetProperty("day").GetInt64());
        Assert.Equal(100, offer.GetProperty("lifetime").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_capped_offer_counts_clicks_imported_on_the_last_day_of_year_9999(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await SetCapsAsync(server, new { clicks = new { day = 1000, month = 1000 } });
        var lines = string.Join('\n',
            """{"kind":"session","occurred_at":"9999-12-31T11:00:00Z","session_id":"ses_last","user_id":"u_last","publisher_id":"pub_1","placement_id":"plc_1"}""",
            """{"kind":"click","occurred_at":"9999-12-31T12:00:00Z","session_id":"ses_last","click_id":"clk_last","offer_id":"off_survey"}""") + "\n";

        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", lines, "application/x-ndjson")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, report.Body.GetProperty("accepted").GetInt64());
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT SUM(clicks) FROM offer_cap_usage WHERE period = 'day'"));
        Assert.Equal(long.MaxValue, OfferTrace.Caps.CapPeriods.EndOf(OfferTrace.Caps.CapPeriods.Month, DateTimeOffset.Parse("9999-12-31T12:00:00Z").ToUnixTimeMilliseconds()));
    }

    private static async Task SetCapsAsync(TestServer server, object caps) => (await PutOfferAsync(server, caps)).Expect(HttpStatusCode.OK);

    private static Task<ApiResponse> PutOfferAsync(TestServer server, object caps, int? dailyCap = null) =>
        server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/offers/off_survey", JsonSerializer.Serialize(new
        {
            name = "Survey", network_id = "net_1", payout = 100.00m, currency = "USD", url = "https://adv.example/offer?cid={click_id}", caps, daily_cap = dailyCap,
        }));
}
