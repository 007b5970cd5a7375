using System.Net;
using System.Text.Json;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Postbacks;

/// <summary>The corners: racing first callbacks, reversals without a credit, resends after a reversal, rejected earnings, SSRF through NAT64 or 6to4.</summary>
public sealed class PostbackEdgeTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Pending_and_approved_arriving_together_end_approved_and_credited_once(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        for (var round = 0; round < 5; round++)
        {
            var clickId = await Flow.ClickAsync(server, $"u_{round}");
            var calls = new[] { "pending", "approved" }.Select(status => server.Client.PostJsonAsync(
                $"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
                new { click_id = clickId, transaction_id = $"tx-{round}", network_payout = 100.00m, status })).ToList();
            await Task.WhenAll(calls);
            Assert.Equal("approved", await Sql.ScalarAsync<string>(server, "SELECT status FROM offerwall_conversions_detailed WHERE transaction_id = @tx",
                new { tx = $"tx-{round}" }));
        }
        Assert.Equal(5 * 5000, await Sql.ScalarAsync<long>(server, "SELECT SUM(available_points) FROM user_points"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT SUM(pending_points) FROM user_points"));
        Assert.Equal(5, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM publisher_earnings"));
    }

    [Fact]
    public async Task A_chargeback_sends_no_reversal_when_no_credit_was_sent_and_a_reversed_credit_is_not_resent()
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync("sqlite", PublisherFlow.PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var quiet = await Flow.ClickAsync(server, "u_quiet");
        (await Flow.PostbackAsync(server, quiet, "tx-quiet")).Expect(HttpStatusCode.Created);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        (await Chargeback(server, quiet, "tx-quiet")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_deliveries"));

        var told = await Flow.ClickAsync(server, "u_told");
        (await Flow.PostbackAsync(server, told, "tx-told")).Expect(HttpStatusCode.Created);
        await Eventually.TrueAsync(() => receiver.Applied.Count == 1, "credit");
        (await Chargeback(server, told, "tx-told")).Expect(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => receiver.Applied.Count == 2, "reversal");
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_deliveries WHERE state = 'delivered'") == 2,
            "both logged");
        var credit = await Sql.ScalarAsync<string>(server, "SELECT delivery_id FROM postback_deliveries WHERE kind = 'credit'");
        Assert.Equal(HttpStatusCode.Conflict, (await server.Admin.PostJsonAsync($"/api/admin/postbacks/{credit}/resend", new { })).Status);
    }

    [Fact]
    public async Task A_chargeback_of_a_rejected_earning_is_not_taken_off_the_publisher_again()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clickId = await Flow.ClickAsync(server);
        (await Flow.PostbackAsync(server, clickId, "tx-1")).Expect(HttpStatusCode.Created);
        var earning = await Sql.ScalarAsync<string>(server, "SELECT earning_id FROM publisher_earnings");
        (await server.Admin.PostJsonAsync("/api/admin/offerwall/earnings/status", new { to = "rejected", ids = new[] { earning } })).Expect(HttpStatusCode.OK);
        (await Chargeback(server, clickId, "tx-1")).Expect(HttpStatusCode.OK);
        Assert.Equal("rejected", await Sql.ScalarAsync<string>(server, "SELECT status FROM publisher_earnings WHERE kind = 'reversal'"));
        Assert.Equal("pending", await Sql.ScalarAsync<string>(server, "SELECT status FROM network_payouts WHERE kind = 'reversal'"));
        var moved = (await server.Admin.PostJsonAsync("/api/admin/offerwall/earnings/status", new { to = "approved", publisher_id = "pub_1", status = "pending" }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(0, moved.GetProperty("moved").GetArrayLength());
    }

    [Fact]
    public async Task Imported_history_sends_no_postbacks_while_live_conversions_do()
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync("sqlite", PublisherFlow.PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        (await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/offers/off_02", JsonSerializer.Serialize(new
        {
            name = "Held", network_id = "net_1", payout = 100.00m, currency = "USD", url = "https://adv.example/o?c={click_id}", hold_days = 2,
        }))).Expect(HttpStatusCode.OK);
        var lines = new[]
        {
            """{"kind":"session","occurred_at":"2026-10-01T10:00:00Z","ip":"198.51.100.1","session_id":"ses_old","user_id":"u_old","publisher_id":"pub_1","placement_id":"plc_1"}""",
            """{"kind":"click","occurred_at":"2026-10-01T10:01:00Z","session_id":"ses_old","click_id":"clk_old","offer_id":"off_survey","mouse_movement_px":120}""",
            """{"kind":"conversion","occurred_at":"2026-10-01T10:30:00Z","network_id":"net_1","click_id":"clk_old","transaction_id":"tx-old","network_payout":100}""",
            """{"kind":"click","occurred_at":"2026-10-01T10:02:00Z","session_id":"ses_old","click_id":"clk_held","offer_id":"off_02","mouse_movement_px":120}""",
            """{"kind":"conversion","occurred_at":"2026-10-01T10:40:00Z","network_id":"net_1","click_id":"clk_held","transaction_id":"tx-held","network_payout":100}""",
        };
        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", string.Join("\n", lines), "application/x-ndjson"))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(5, report.GetProperty("accepted").GetInt64());
        // The held one (two days from 1 October) is released at the next round of the releaser: points, no postback.
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<long>(server, "SELECT available_points FROM user_points WHERE user_id = 'u_old'") == 10000,
            "held history released");

        (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, "u_live"), "tx-live")).Expect(HttpStatusCode.Created);
        await Eventually.TrueAsync(() => receiver.Applied.Count == 1, "live credit");
        await Task.Delay(300);
        Assert.Equal("tx-live", Assert.Single(receiver.Log).Query["tx"]);
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_deliveries"));
    }

    [Fact]
    public async Task Webhook_mode_needs_a_secret()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var bad = await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/publishers/pub_1",
            JsonSerializer.Serialize(new { name = "P", postback_url = "https://pub.example/hook", postback_mode = "webhook" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("postback_secret", out _));
    }

    [Theory]
    [InlineData("64:ff9b::a00:1", false)]     // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", false)] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::808:808", true)]    // NAT64 of 8.8.8.8
    [InlineData("2002:7f00:1::", false)]      // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::", false)]    // 6to4 of 192.168.1.1
    [InlineData("2002:808:808::", true)]      // 6to4 of 8.8.8.8
    [InlineData("2606:4700::1111", true)]
    [InlineData("fd00::1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("8.8.8.8", true)]
    public void Postback_targets_are_public_inside_nat64_and_6to4_too(string address, bool isPublic) =>
        Assert.Equal(isPublic, PostbackSender.IsPublicTarget(IPAddress.Parse(address)));

    private static Task<ApiResponse> Chargeback(TestServer server, string clickId, string tx) =>
        server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}", new { click_id = clickId, transaction_id = tx, status = "reversed" });
}
