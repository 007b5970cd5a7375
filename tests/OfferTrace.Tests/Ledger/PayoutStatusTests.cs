using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Ledger;

/// <summary>Earnings and network payouts move pending → approved → paid (or rejected) in bulk, never backwards, with an audit trail.</summary>
public sealed class PayoutStatusTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Earnings_and_payouts_move_forward_in_bulk_with_an_audit_trail(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        for (var i = 0; i < 3; i++) (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, $"u_{i}"), $"tx-{i}")).Expect(HttpStatusCode.Created);

        var earnings = (await server.Admin.GetJsonAsync("/api/admin/offerwall/earnings?publisher_id=pub_1&status=pending")).Expect(HttpStatusCode.OK)
            .Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, earnings.Count);
        Assert.All(earnings, e => Assert.Equal(35.00m, e.GetProperty("amount").GetDecimal()));
        var ids = earnings.Select(e => e.GetProperty("id").GetString()!).ToList();

        var approved = (await Move(server, "earnings", new { to = "approved", ids = ids.Take(2) })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(2, approved.GetProperty("moved").GetArrayLength());
        server.Clock.Advance(TimeSpan.FromHours(1));
        var paid = (await Move(server, "earnings", new { to = "paid", ids = new[] { ids[0], ids[2], "ear_unknown" } })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal([ids[0]], paid.GetProperty("moved").EnumerateArray().Select(x => x.GetString()));
        var refused = paid.GetProperty("refused").EnumerateArray().ToList();
        Assert.Contains("is pending", refused.Single(r => r.GetProperty("id").GetString() == ids[2]).GetProperty("reason").GetString());
        Assert.Contains("no earning", refused.Single(r => r.GetProperty("id").GetString() == "ear_unknown").GetProperty("reason").GetString());
        var backwards = (await Move(server, "earnings", new { to = "rejected", ids = new[] { ids[0] } })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(0, backwards.GetProperty("moved").GetArrayLength());

        Assert.Equal(["paid", "approved", "pending"],
            (await Sql.QueryAsync(server, "SELECT status FROM publisher_earnings ORDER BY CASE status WHEN 'paid' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END"))
            .Select(r => (string)r.status));
        Assert.NotNull(await Sql.ScalarAsync<long?>(server, "SELECT paid_at FROM publisher_earnings WHERE status = 'paid'"));
        var trail = await Sql.QueryAsync(server, "SELECT entity_id, from_status, to_status, actor FROM ledger_status_changes ORDER BY changed_at, change_id");
        Assert.Equal(3, trail.Count);
        Assert.Equal(("pending", "approved"), ((string)trail[0].from_status, (string)trail[0].to_status));
        Assert.Equal((ids[0], "approved", "paid"), ((string)trail[2].entity_id, (string)trail[2].from_status, (string)trail[2].to_status));
        Assert.All(trail, t => Assert.False(string.IsNullOrEmpty((string)t.actor)));
        Assert.Equal(3 * 350_000, await Sql.ScalarAsync<long>(server, "SELECT SUM(earnings) FROM publisher_earnings"));

        // Network payouts by filter: every pending one of the network.
        var byFilter = (await Move(server, "payouts", new { to = "approved", network_id = "net_1", status = "pending" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(3, byFilter.GetProperty("moved").GetArrayLength());
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM network_payouts WHERE status = 'approved'"));

        Assert.Equal(HttpStatusCode.BadRequest, (await Move(server, "payouts", new { to = "lost", ids = new[] { "x" } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Move(server, "payouts", new { to = "paid" })).Status);
    }

    [Fact]
    public async Task A_publisher_key_cannot_move_money()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var key = (await server.Admin.PostJsonAsync("/api/admin/keys", new { name = "pub", scope = "publisher:pub_1" })).Expect(HttpStatusCode.Created).Str("key");
        using var publisher = new HttpClient { BaseAddress = server.Address };
        publisher.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.PostJsonAsync("/api/admin/offerwall/earnings/status", new { to = "paid", ids = new[] { "x" } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await publisher.PostJsonAsync("/api/admin/offerwall/redemptions", new { publisher_id = "pub_1", user_id = "u", points = 1, reference = "r" })).Status);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Overlapping_bulk_moves_sent_in_opposite_orders_at_once_each_move_every_row_once(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        for (var i = 0; i < 60; i++) (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, $"u_{i}"), $"tx-{i}")).Expect(HttpStatusCode.Created);
        var ids = (await server.Admin.GetJsonAsync("/api/admin/offerwall/earnings?publisher_id=pub_1&status=pending&limit=100")).Expect(HttpStatusCode.OK)
            .Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(60, ids.Count);

        var moves = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Move(server, "earnings", new { to = "approved", ids = i % 2 == 0 ? ids : Enumerable.Reverse(ids).ToList() })));

        Assert.All(moves, m => m.Expect(HttpStatusCode.OK));
        var moved = moves.SelectMany(m => m.Body.GetProperty("moved").EnumerateArray().Select(x => x.GetString()!)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), moved.Order(StringComparer.Ordinal));
        Assert.Equal(60, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM publisher_earnings WHERE status = 'approved'"));
    }

    private static Task<ApiResponse> Move(TestServer server, string ledger, object body) =>
        server.Admin.PostJsonAsync($"/api/admin/offerwall/{ledger}/status", body);
}
