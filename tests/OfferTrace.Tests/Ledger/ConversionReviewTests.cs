using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Ledger;

/// <summary>An operator approves a pending conversion (points released, publisher told) or rejects a credited one (credit taken back).</summary>
public sealed class ConversionReviewTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Approving_releases_and_rejecting_takes_back_once(string provider)
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(provider, PublisherFlow.PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        var clickId = await Flow.ClickAsync(server);
        var pending = (await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = clickId, transaction_id = "tx-1", network_payout = 100.00m, status = "pending" })).Expect(HttpStatusCode.Created);
        Assert.Equal("pending", pending.Str("status"));
        var id = pending.Str("conversion_id");
        await Task.Delay(300);
        Assert.Empty(receiver.Log);

        var approved = (await Decide(server, id, "approved")).Expect(HttpStatusCode.OK);
        Assert.Equal("approved", approved.Str("status"));
        Assert.Equal(5000, await Sql.ScalarAsync<long>(server, "SELECT available_points FROM user_points"));
        await Eventually.TrueAsync(() => receiver.Applied.Count == 1, "credit postback");
        Assert.Equal(HttpStatusCode.Conflict, (await Decide(server, id, "approved")).Status);

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Decide(server, id, "rejected", "advertiser found the lead invalid")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT available_points FROM user_points"));
        Assert.StartsWith("operator_rejected: advertiser", await Sql.ScalarAsync<string>(server, "SELECT status_reason FROM offerwall_conversions_detailed"));
        await Eventually.TrueAsync(() => receiver.Applied.Count == 2, "reversal postback");
        Assert.Equal("2", receiver.Applied[1].Query["status"]);
        Assert.Equal(HttpStatusCode.Conflict, (await Decide(server, id, "rejected")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Decide(server, "cnv_nothing", "approved")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Decide(server, id, "paid")).Status);
        var replay = (await server.Admin.PostJsonAsync("/api/admin/ledger/replay", new { })).Expect(HttpStatusCode.OK).Body;
        Assert.True(replay.GetProperty("difference_count").GetInt32() == 0, replay.ToString());
    }

    private static Task<ApiResponse> Decide(TestServer server, string id, string status, string? note = null) =>
        server.Admin.PostJsonAsync($"/api/admin/offerwall/conversions/{id}/status", new { status, note });
}
