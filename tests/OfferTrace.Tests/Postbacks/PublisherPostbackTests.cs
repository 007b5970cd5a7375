using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Postbacks;

/// <summary>Publisher postbacks against a real receiver on 127.0.0.1: backoff on the test clock, restarts, pauses, the tester, webhooks.</summary>
public sealed class PublisherPostbackTests
{
    private const string PublisherSecret = PublisherFlow.Secret;
    private const string PrivateTargets = PublisherFlow.PrivateTargets;

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Delivered_exactly_once_after_failures_with_doubling_backoff_across_a_restart(string provider)
    {
        await using var receiver = await PostbackReceiver.StartAsync(failFirst: 3);
        var server = await TestServer.StartAsync(provider, PrivateTargets);
        try
        {
            await Catalogue.SeedWorkedExampleAsync(server.Admin);
            await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
            var clickId = await Flow.ClickAsync(server);
            var convertedAt = server.Clock.GetUtcNow();
            var conversion = (await Flow.PostbackAsync(server, clickId, "tx-1")).Expect(HttpStatusCode.Created).Str("conversion_id");

            await AttemptsAsync(server, receiver, 1);
            Assert.Equal(convertedAt.AddSeconds(30).ToUnixTimeMilliseconds(), await NextAttemptAsync(server));
            server.Clock.Advance(TimeSpan.FromSeconds(29));
            await Task.Delay(400);
            Assert.Single(receiver.Log);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
            await AttemptsAsync(server, receiver, 2);
            Assert.Equal(convertedAt.AddSeconds(30 + 60).ToUnixTimeMilliseconds(), await NextAttemptAsync(server));

            // A restart between attempts loses nothing: the outbox is in the database.
            server = await server.RestartAsync(PrivateTargets);
            server.Clock.Advance(TimeSpan.FromSeconds(60));
            await AttemptsAsync(server, receiver, 3);
            server.Clock.Advance(TimeSpan.FromSeconds(119));
            await Task.Delay(400);
            Assert.Equal(3, receiver.Log.Count);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
            await AttemptsAsync(server, receiver, 4);
            await Eventually.TrueAsync(async () => await Sql.ScalarAsync<string>(server, "SELECT state FROM postback_deliveries") == "delivered", "delivered");

            var applied = Assert.Single(receiver.Applied);
            Assert.Equal(4, receiver.Log.Count);
            Assert.All(receiver.Log, r => Assert.Equal("tx-1", r.Query["tx"]));
            Assert.Equal("5000", applied.Query["points"]);
            Assert.Equal("1", applied.Query["status"]);
            Assert.Equal("u_1", applied.Query["user"]);
            Assert.Equal("50.00", applied.Query["reward"]);
            Assert.Equal("35.00", applied.Query["payout"]);
            Assert.Equal(conversion, applied.Query["cnv"]);
            Assert.Equal("Survey", applied.Query["name"]);
            Assert.Equal("0", applied.Query["debug"]);
            Assert.Equal(PublisherFlow.Sign("tx-1:u_1:5000:1"), applied.Query["sig"]);

            var deliveryId = await Sql.ScalarAsync<string>(server, "SELECT delivery_id FROM postback_deliveries");
            var log = (await server.Admin.GetJsonAsync($"/api/admin/postbacks/{deliveryId}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("delivered", log.GetProperty("state").GetString());
            var attempts = log.GetProperty("attempt_log").EnumerateArray().ToList();
            Assert.Equal([500, 500, 500, 200], attempts.Select(a => a.GetProperty("status_code").GetInt32()));
            Assert.All(attempts, a => Assert.StartsWith("GET " + receiver.BaseUrl + "/postback?user=u_1", a.GetProperty("request").GetString()));
            Assert.Equal("OK", attempts[3].GetProperty("response_excerpt").GetString());
            Assert.Contains("500", attempts[0].GetProperty("error").GetString());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Repeated_failures_pause_the_publisher_with_an_alert_until_resumed()
    {
        await using var receiver = await PostbackReceiver.StartAsync(failFirst: 1000);
        await using var server = await TestServer.StartAsync("sqlite", PrivateTargets, "--Postbacks:PauseAfterFailures=3");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        for (var i = 1; i <= 2; i++) (await Flow.PostbackAsync(server, await Flow.ClickAsync(server, $"u_{i}"), $"tx-{i}")).Expect(HttpStatusCode.Created);
        await Eventually.TrueAsync(() => receiver.Log.Count >= 2, "two first attempts");
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts") >= 3, "third failure");
        await Eventually.TrueAsync(async () => (await AlertsAsync(server)).Count == 1, "alert");

        var alert = (await AlertsAsync(server))[0];
        Assert.Equal("pub_1", alert.GetProperty("publisher_id").GetString());
        Assert.Equal("postbacks_paused", alert.GetProperty("type").GetString());
        Assert.Equal(2, alert.GetProperty("waiting_deliveries").GetInt64());
        var attemptsWhenPaused = await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts");

        // Paused: nothing is sent however long it waits, and nothing expires.
        server.Clock.Advance(TimeSpan.FromDays(3));
        await Task.Delay(500);
        Assert.Equal(attemptsWhenPaused, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts"));
        Assert.Equal(2, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_deliveries WHERE state = 'pending'"));

        (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postbacks/resume", new { })).Expect(HttpStatusCode.OK);
        Assert.Empty(await AlertsAsync(server));
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts") >= attemptsWhenPaused + 2,
            "sent again after the resume");
        Assert.Equal(HttpStatusCode.Conflict, (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postbacks/resume", new { })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_9/postbacks/resume", new { })).Status);
    }

    [Fact]
    public async Task Retries_stop_after_the_retry_window_and_an_admin_can_resend()
    {
        await using var receiver = await PostbackReceiver.StartAsync(failFirst: 1000);
        await using var server = await TestServer.StartAsync("sqlite", PrivateTargets, "--Postbacks:PauseAfterFailures=1000", "--Postbacks:RetryHours=24");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);
        (await Flow.PostbackAsync(server, await Flow.ClickAsync(server), "tx-1")).Expect(HttpStatusCode.Created);
        await Eventually.TrueAsync(() => receiver.Log.Count == 1, "first attempt");

        // Attempts at 0, 30 s, 1.5 min, 3.5 min ... then every hour: about 30 in 24 h.
        for (var hour = 0; hour < 25; hour++)
        {
            for (var step = 0; step < 12; step++)
            {
                server.Clock.Advance(TimeSpan.FromMinutes(5));
                await Task.Delay(20);
            }
        }
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<string>(server, "SELECT state FROM postback_deliveries") == "failed", "given up");
        var attempts = await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts");
        Assert.InRange(attempts, 25, 35);
        var firstToLast = await Sql.ScalarAsync<long>(server, "SELECT MAX(started_at) - MIN(started_at) FROM postback_attempts");
        Assert.InRange(firstToLast, TimeSpan.FromHours(22).TotalMilliseconds, TimeSpan.FromHours(24).TotalMilliseconds);

        var id = await Sql.ScalarAsync<string>(server, "SELECT delivery_id FROM postback_deliveries");
        (await server.Admin.PostJsonAsync($"/api/admin/postbacks/{id}/resend", new { })).Expect(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts") == attempts + 1, "resent");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.PostJsonAsync("/api/admin/postbacks/pbk_none/resend", new { })).Status);
    }

    [Fact]
    public async Task Private_targets_are_refused_unless_allowed()
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);

        var test = (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-test", new { })).Expect(HttpStatusCode.OK).Body;
        Assert.False(test.GetProperty("delivered").GetBoolean());
        Assert.Contains("private, loopback or link-local", test.GetProperty("error").GetString());
        Assert.Empty(receiver.Log);

        await PublisherFlow.SetPostbackAsync(server, "http://localhost:" + new Uri(receiver.BaseUrl).Port + "/postback?u={user_id}");
        test = (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-test", new { })).Expect(HttpStatusCode.OK).Body;
        Assert.Contains("private, loopback or link-local", test.GetProperty("error").GetString());
        Assert.Empty(receiver.Log);
    }

    [Fact]
    public async Task The_tester_sends_a_signed_debug_postback_and_shows_the_exchange()
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync("sqlite", PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.GetTemplate);

        var test = (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-test", new { user_id = "u_77", points = 250 }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.True(test.GetProperty("delivered").GetBoolean());
        Assert.Equal(200, test.GetProperty("status_code").GetInt32());
        Assert.Equal("OK", test.GetProperty("response_excerpt").GetString());
        Assert.StartsWith("GET " + receiver.BaseUrl + "/postback?user=u_77&points=250", test.GetProperty("request").GetString());
        var got = Assert.Single(receiver.Log);
        Assert.Equal("1", got.Query["debug"]);
        Assert.Equal(PublisherFlow.Sign($"{got.Query["tx"]}:u_77:250:1"), got.Query["sig"]);
        var delivery = (await server.Admin.GetJsonAsync("/api/admin/postbacks?publisher_id=pub_1")).Expect(HttpStatusCode.OK).Body.GetProperty("items")[0];
        Assert.Equal("test", delivery.GetProperty("kind").GetString());
        Assert.Equal("delivered", delivery.GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_9/postback-test", new { })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-test", new { points = -1 })).Status);
    }

    [Fact]
    public async Task Webhooks_are_signed_json_events_and_a_rotation_signs_with_both_secrets_for_a_while()
    {
        await using var receiver = await PostbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync("sqlite", PrivateTargets);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await PublisherFlow.SetPostbackAsync(server, receiver.BaseUrl + "/postback", mode: "webhook");
        (await Flow.PostbackAsync(server, await Flow.ClickAsync(server), "tx-1")).Expect(HttpStatusCode.Created);
        await Eventually.TrueAsync(() => receiver.Applied.Count == 1, "webhook");

        var hook = receiver.Applied[0];
        Assert.Equal("POST", hook.Method);
        var body = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal("conversion.credited", body.GetProperty("type").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(5000, body.GetProperty("data").GetProperty("points").GetInt64());
        var (t, signatures) = ParseSignature(hook.SignatureHeader);
        Assert.Equal([WebhookSign(PublisherSecret, t, hook.Body)], signatures);

        var rotated = (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-secret", new { })).Expect(HttpStatusCode.OK);
        var newSecret = rotated.Str("postback_secret");
        (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-test", new { })).Expect(HttpStatusCode.OK);
        var during = receiver.Log[^1];
        (t, signatures) = ParseSignature(during.SignatureHeader);
        Assert.Equal([WebhookSign(newSecret, t, during.Body), WebhookSign(PublisherSecret, t, during.Body)], signatures);
        Assert.Equal("postback.test", JsonDocument.Parse(during.Body).RootElement.GetProperty("type").GetString());

        server.Clock.Advance(TimeSpan.FromHours(25));
        (await server.Admin.PostJsonAsync("/api/admin/publishers/pub_1/postback-test", new { })).Expect(HttpStatusCode.OK);
        var after = receiver.Log[^1];
        (t, signatures) = ParseSignature(after.SignatureHeader);
        Assert.Equal([WebhookSign(newSecret, t, after.Body)], signatures);
    }

    private static string WebhookSign(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)));

    private static (string T, List<string> Signatures) ParseSignature(string header)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToList();
        return (parts.Single(p => p[0] == "t")[1], parts.Where(p => p[0] == "v1").Select(p => p[1]).ToList());
    }

    private static async Task AttemptsAsync(TestServer server, PostbackReceiver receiver, int count)
    {
        await Eventually.TrueAsync(() => receiver.Log.Count == count, $"attempt {count} at the receiver");
        await Eventually.TrueAsync(async () => await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM postback_attempts") == count, $"attempt {count} logged");
        Assert.Equal(count, receiver.Log.Count);
    }

    private static Task<long> NextAttemptAsync(TestServer server) => Sql.ScalarAsync<long>(server, "SELECT next_attempt_at FROM postback_deliveries");

    private static async Task<List<JsonElement>> AlertsAsync(TestServer server) =>
        (await server.Admin.GetJsonAsync("/api/admin/postbacks/alerts")).Expect(HttpStatusCode.OK).Body.GetProperty("items").EnumerateArray().ToList();
}
