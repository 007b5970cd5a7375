using System.Net;
using System.Text.Json;
using OfferTrace.Ledger;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Ledger;

/// <summary>The replay rebuilds every balance from entries and callbacks: none differ on a database the tests built; a row changed by hand is named.</summary>
public sealed class LedgerReplayTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Replay_finds_no_difference_then_names_each_row_tampered_with(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await BuildHistoryAsync(server);

        var clean = await ReplayAsync(server);
        Assert.True(clean.GetProperty("difference_count").GetInt32() == 0, clean.ToString());
        var counted = clean.GetProperty("checked");
        Assert.Equal(5, counted.GetProperty("users").GetInt64());
        Assert.Equal(6, counted.GetProperty("conversions").GetInt64());
        Assert.Equal(6, counted.GetProperty("callbacks").GetInt64());
        Assert.Equal(1, counted.GetProperty("redemptions").GetInt64());

        var conversion = await Sql.ScalarAsync<string>(server, "SELECT conversion_id FROM offerwall_conversions_detailed WHERE transaction_id = 'tx-2'");
        await Sql.ScalarAsync<long>(server, "UPDATE user_points SET available_points = available_points + 7 WHERE user_id = 'u_1'");
        await Sql.ScalarAsync<long>(server, "UPDATE publisher_earnings SET earnings = earnings + 1 WHERE conversion_id = @conversion AND kind = 'credit'", new { conversion });
        await Sql.ScalarAsync<long>(server, "UPDATE offerwall_conversions_detailed SET network_payout = 990000 WHERE transaction_id = 'tx-3'");

        var report = await ReplayAsync(server);
        var found = report.GetProperty("differences").EnumerateArray()
            .Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("id").GetString(), d.GetProperty("field").GetString())).ToList();
        Assert.Contains(("user_points", "pub_1/u_1", "available_points"), found);
        Assert.Contains(("conversion", conversion, "publisher_earnings"), found);
        var tx3 = await Sql.ScalarAsync<string>(server, "SELECT conversion_id FROM offerwall_conversions_detailed WHERE transaction_id = 'tx-3'");
        Assert.Contains(("conversion", tx3, "user_reward + publisher_commission + platform_revenue"), found);
        Assert.Contains(("conversion", tx3, "network_payouts"), found);
        Assert.Contains(found, d => d.Item1 == "callback" && d.Item3 == "network_payout");
        Assert.Equal(5, found.Count);

        // The same check from the command line, on the same database: exit code 1 while differences remain.
        await server.StopAsync();
        var exit = await LedgerReplayCommand.RunAsync([$"--Storage:Provider={server.Provider}", $"--Storage:ConnectionString={server.Database.ConnectionString}",
            "--Auth:AdminKey=" + TestServer.AdminKey]);
        Assert.Equal(1, exit);
    }

    /// <summary>Credits, held conversions, a redemption then a chargeback (debt), a cap rejection and a repeated callback.</summary>
    private static async Task BuildHistoryAsync(TestServer server)
    {
        for (var i = 1; i <= 3; i++) (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, $"u_{i}"), $"tx-{i}")).Expect(HttpStatusCode.Created);
        (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_1", "off_02"), "tx-1")).Expect(HttpStatusCode.OK);
        (await server.Admin.PostJsonAsync("/api/admin/offerwall/redemptions", new { publisher_id = "pub_1", user_id = "u_1", points = 3000, reference = "r-1" }))
            .Expect(HttpStatusCode.Created);
        var clickOfU1 = await Sql.ScalarAsync<string>(server, "SELECT click_id FROM offerwall_conversions_detailed WHERE transaction_id = 'tx-1'");
        (await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = clickOfU1, transaction_id = "tx-1", status = "reversed" })).Expect(HttpStatusCode.OK);

        (await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/offers/off_survey", JsonSerializer.Serialize(new
        {
            name = "Survey", network_id = "net_1", payout = 100.00m, currency = "USD", url = "https://adv.example/o?c={click_id}", hold_days = 7,
            caps = new { conversions = new { lifetime = 4 } },
        }))).Expect(HttpStatusCode.OK);
        Assert.Equal("pending", (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_4"), "tx-4")).Str("status"));
        // The cap counts the offer's history: tx-2, tx-3 (tx-1 was reversed), then tx-4 and tx-5 make four; tx-6 is one too many.
        Assert.Equal("pending", (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_5"), "tx-5")).Str("status"));
        Assert.Equal("rejected", (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_6"), "tx-6")).Str("status"));
    }

    private static async Task<JsonElement> ReplayAsync(TestServer server) =>
        (await server.Admin.PostJsonAsync("/api/admin/ledger/replay", new { })).Expect(HttpStatusCode.OK).Body;
}
