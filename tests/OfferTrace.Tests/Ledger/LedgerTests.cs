using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Ledger;

/// <summary>The money ledger: exactly-once credits under concurrency, redemptions that never overdraw, chargebacks, holds.</summary>
public sealed class LedgerTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Five_hundred_concurrent_postbacks_over_fifty_transactions_give_fifty_conversions_and_fifty_credits(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clicks = new List<string>();
        for (var i = 0; i < 50; i++) clicks.Add(await Flow.ClickAsync(server, $"u_{i}"));

        using var gate = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 500).Select(async n =>
        {
            await gate.WaitAsync();
            return await Flow.PostbackAsync(server, clicks[n % 50], $"tx-{n % 50}");
        }).ToList();
        gate.Release(500);
        var answers = await Task.WhenAll(calls);

        Assert.Equal(50, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(450, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(50, answers.Select(a => a.Str("conversion_id")).Distinct().Count());
        Assert.Equal(50, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed WHERE status = 'approved'"));
        Assert.Equal(50, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions WHERE kind = 'credit'"));
        Assert.Equal(50, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM publisher_earnings"));
        Assert.Equal(50, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM network_payouts"));
        Assert.Equal(50 * 5000, await Sql.ScalarAsync<long>(server, "SELECT SUM(available_points) FROM user_points"));
        Assert.Equal(500, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM raw_callbacks"));
        Assert.Equal(450, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM raw_callbacks WHERE outcome = 'duplicate'"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Hundred_concurrent_redemptions_against_a_balance_for_ten_let_exactly_ten_through(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        (await Flow.PostbackAsync(server, await Flow.ClickAsync(server), "tx-1")).Expect(HttpStatusCode.Created);

        using var gate = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 100).Select(async n =>
        {
            await gate.WaitAsync();
            return await RedeemAsync(server, 500, $"shop-{n}");
        }).ToList();
        gate.Release(100);
        var answers = await Task.WhenAll(calls);

        Assert.Equal(10, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(90, answers.Count(a => a.Status == HttpStatusCode.Conflict));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Contains("available points", a.Str("detail")));
        var balance = await BalanceAsync(server);
        Assert.Equal((5000L, 0L, 0L, 5000L, 0L), balance);
        Assert.Equal(10, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM points_redemptions"));
        Assert.Equal(-5000, await Sql.ScalarAsync<long>(server, "SELECT SUM(points) FROM user_points_transactions WHERE kind = 'redemption' AND balance = 'available'"));

        // A retry with a used reference is a repeat, not a second spend; the same reference for something else is refused.
        var first = answers.First(a => a.Status == HttpStatusCode.Created);
        var reference = first.Str("reference");
        var repeat = (await RedeemAsync(server, 500, reference)).Expect(HttpStatusCode.OK);
        Assert.Equal(first.Str("redemption_id"), repeat.Str("redemption_id"));
        Assert.Equal(HttpStatusCode.Conflict, (await RedeemAsync(server, 400, reference)).Status);
        Assert.Equal(10, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM points_redemptions"));
        Assert.Equal(HttpStatusCode.BadRequest, (await RedeemAsync(server, 0, "zero")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await server.Admin.PostJsonAsync("/api/admin/offerwall/redemptions", new { publisher_id = "pub_9", user_id = "u_1", points = 1, reference = "x" })).Status);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_chargeback_after_redemption_leaves_debt_reversal_entries_and_a_status_2_postback(string provider)
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(provider, PublisherFlow.PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        var clickId = await Flow.ClickAsync(server);
        var conversionId = (await Flow.PostbackAsync(server, clickId, "tx-1")).Expect(HttpStatusCode.Created).Str("conversion_id");
        await Eventually.TrueAsync(() => receiver.Applied.Count == 1, "credit postback");
        (await RedeemAsync(server, 4000, "shop-1")).Expect(HttpStatusCode.Created);

        server.Clock.Advance(TimeSpan.FromDays(3));
        var chargeback = (await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = clickId, transaction_id = "tx-1", status = "reversed" })).Expect(HttpStatusCode.OK);
        Assert.Equal("reversed", chargeback.Str("status"));
        Assert.Equal(conversionId, chargeback.Str("conversion_id"));

        // Points: 5000 credited, 4000 spent, 5000 taken back: -4000 available is the user's debt.
        Assert.Equal((0L, -4000L, 0L, 4000L, 4000L), await BalanceAsync(server));
        var debts = (await server.Admin.GetJsonAsync("/api/admin/offerwall/debts")).Expect(HttpStatusCode.OK).Body.GetProperty("items");
        Assert.Equal(4000, Assert.Single(debts.EnumerateArray()).GetProperty("debt_points").GetInt64());

        // Reversal entries for the user, the publisher and the network, each linked to the credit it reverses; nothing edited.
        var credit = await Sql.ScalarAsync<string>(server, "SELECT transaction_id FROM user_points_transactions WHERE kind = 'credit'");
        Assert.Equal(credit, await Sql.ScalarAsync<string>(server, "SELECT reverses_id FROM user_points_transactions WHERE kind = 'reversal' AND points = -5000"));
        var earning = await Sql.ScalarAsync<string>(server, "SELECT earning_id FROM publisher_earnings WHERE kind = 'credit' AND earnings = 350000");
        Assert.Equal(earning, await Sql.ScalarAsync<string>(server, "SELECT reverses_id FROM publisher_earnings WHERE kind = 'reversal' AND earnings = -350000"));
        var payout = await Sql.ScalarAsync<string>(server, "SELECT payout_id FROM network_payouts WHERE kind = 'credit' AND payout = 1000000");
        Assert.Equal(payout, await Sql.ScalarAsync<string>(server, "SELECT reverses_id FROM network_payouts WHERE kind = 'reversal' AND payout = -1000000"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT SUM(earnings) FROM publisher_earnings"));
        Assert.Equal("reversed", await Sql.ScalarAsync<string>(server, "SELECT status FROM offerwall_conversions_detailed"));

        // Analytics: no credited conversion or money left, one reversed conversion.
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT SUM(conversions) FROM rollup_hourly WHERE status IN ('approved', 'pending')"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT SUM(conversions) FROM rollup_hourly WHERE status = 'reversed'"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT SUM(network_payout) FROM rollup_hourly"));

        // The publisher hears of it: status 2 for the same transaction, after the credit.
        await Eventually.TrueAsync(() => receiver.Applied.Count == 2, "reversal postback");
        var reversal = receiver.Applied[1];
        Assert.Equal(("tx-1", "2", "5000"), (reversal.Query["tx"], reversal.Query["status"], reversal.Query["points"]));
        Assert.Equal(PublisherFlow.Sign("tx-1:u_1:5000:2"), reversal.Query["sig"]);

        // A repeated chargeback changes nothing.
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        (await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = clickId, transaction_id = "tx-1", status = "reversed" })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions WHERE kind = 'reversal'"));
        Assert.Equal(2, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_deliveries"));
        Assert.Equal(["accepted", "status_changed", "duplicate"],
            (await Sql.QueryAsync(server, "SELECT outcome FROM raw_callbacks ORDER BY received_at")).Select(r => (string)r.outcome));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Held_points_become_available_by_themselves_when_the_hold_ends(string provider)
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(provider, PublisherFlow.PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        (await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/offers/off_survey", System.Text.Json.JsonSerializer.Serialize(new
        {
            name = "Survey", network_id = "net_1", payout = 100.00m, currency = "USD", url = "https://adv.example/offer?cid={click_id}", hold_days = 2,
        }))).Expect(HttpStatusCode.OK);
        var conversion = (await Flow.PostbackAsync(server, await Flow.ClickAsync(server), "tx-1")).Expect(HttpStatusCode.Created);
        Assert.Equal("pending", conversion.Str("status"));
        Assert.Equal((5000L, 0L, 5000L, 0L, 0L), await BalanceAsync(server));

        server.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        await Task.Delay(300);
        Assert.Equal((5000L, 0L, 5000L, 0L, 0L), await BalanceAsync(server));
        Assert.Empty(receiver.Log);

        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(async () => (await BalanceAsync(server)).Available == 5000, "released");
        Assert.Equal((5000L, 5000L, 0L, 0L, 0L), await BalanceAsync(server));
        Assert.Equal("approved", await Sql.ScalarAsync<string>(server, "SELECT status FROM offerwall_conversions_detailed"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT SUM(conversions) FROM rollup_hourly WHERE status = 'approved'"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT SUM(conversions) FROM rollup_hourly WHERE status = 'pending'"));
        await Eventually.TrueAsync(() => receiver.Applied.Count == 1, "credit postback on release");
        Assert.Equal("1", receiver.Applied[0].Query["status"]);
    }

    private static Task<ApiResponse> RedeemAsync(TestServer server, long points, string reference) =>
        server.Admin.PostJsonAsync("/api/admin/offerwall/redemptions", new { publisher_id = "pub_1", user_id = "u_1", points, reference });

    private static async Task<(long Total, long Available, long Pending, long Redeemed, long Debt)> BalanceAsync(TestServer server)
    {
        var b = (await server.Admin.GetJsonAsync("/api/admin/offerwall/balances/pub_1/u_1")).Expect(HttpStatusCode.OK).Body;
        return (b.GetProperty("total").GetInt64(), b.GetProperty("available").GetInt64(), b.GetProperty("pending").GetInt64(),
            b.GetProperty("redeemed").GetInt64(), b.GetProperty("debt").GetInt64());
    }
}
