using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OfferTrace.Storage;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Storage;

public sealed class IngestWriterTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Graceful_shutdown_drains_every_accepted_event(string provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using (var server = await TestServer.StartAsync(database, "--Storage:LingerMilliseconds=500", "--Storage:BatchSize=10000"))
        {
            await Catalogue.SeedWorkedExampleAsync(server.Admin);
            var sessionId = await Flow.SessionAsync(server);
            // Open the connections first: the server stops taking new ones when it stops, and the test is about requests it already has.
            await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => server.Client.GetAsync("/health/live")));
            var clicks = Enumerable.Range(0, 50)
                .Select(_ => server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey" }))
                .ToList();
            await Task.Delay(150);
            var stopping = server.StopAsync();
            var answers = await Task.WhenAll(clicks);
            await stopping;
            var created = answers.Count(a => a.Status == HttpStatusCode.Created);
            Assert.Equal(50, created);
            Assert.Equal(50, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Clicks_written_in_one_batch_keep_each_row_its_own_values_and_nulls(string provider)
    {
        // PostgreSQL writes a batch's rows as one statement over column arrays: a misaligned column or a lost null would
        // give a row another click's value. The linger puts the twelve clicks in one batch.
        var database = await TestDatabase.CreateAsync(provider);
        await using var server = await TestServer.StartAsync(database, "--Storage:LingerMilliseconds=300", "--Storage:BatchSize=10000");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var sessionId = await Flow.SessionAsync(server);
        var offers = Catalogue.OfferIds.Skip(1).Take(12).ToArray();
        var impressionIds = (await server.Client.PostJsonAsync("/api/offerwall/track/impression", new
        {
            session_id = sessionId, impressions = offers.Select((o, i) => new { offer_id = o, position = i + 1 }).ToArray(),
        })).Expect(HttpStatusCode.Created).Body.GetProperty("impression_ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var sent = offers.Select((offer, i) => (
            Offer: offer,
            ImpressionId: i % 2 == 0 ? impressionIds[i] : null,
            Position: i % 3 == 0 ? (int?)(i + 1) : null,
            Mouse: i % 2 == 1 ? (double?)(100.5 + i) : null,
            HumanScore: i % 4 == 0 ? (int?)(i * 7) : null)).ToArray();
        var answers = await Task.WhenAll(sent.Select(c => server.Client.PostJsonAsync("/api/offerwall/track/click", new
        {
            session_id = sessionId, offer_id = c.Offer, impression_id = c.ImpressionId, position = c.Position, mouse_movement_px = c.Mouse,
            human_score = c.HumanScore,
        })));

        var rows = (await Sql.QueryAsync(server,
                "SELECT click_id, offer_id, impression_id, position, mouse_movement_px, human_score, redirect_url, redirect_chain FROM offerwall_clicks_detailed"))
            .ToDictionary(r => (string)r.click_id);
        Assert.Equal(sent.Length, rows.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            var answer = answers[i].Expect(HttpStatusCode.Created);
            var row = rows[answer.Str("click_id")];
            Assert.Equal(sent[i].Offer, (string)row.offer_id);
            Assert.Equal(sent[i].ImpressionId, (string?)row.impression_id);
            Assert.Equal(sent[i].Position, row.position is null ? null : Convert.ToInt32(row.position));
            Assert.Equal(sent[i].Mouse, row.mouse_movement_px is null ? null : Convert.ToDouble(row.mouse_movement_px));
            Assert.Equal(sent[i].HumanScore, row.human_score is null ? null : Convert.ToInt32(row.human_score));
            Assert.Equal(answer.Str("redirect_url"), (string)row.redirect_url);
            Assert.Equal(new[] { answer.Str("redirect_url") }, JsonSerializer.Deserialize<string[]>((string)row.redirect_chain)!);
        }
        Assert.Equal(sent.Length, await Sql.ScalarAsync<long>(server, "SELECT SUM(clicks) FROM rollup_hourly"));
        // Without this the test would pass on rows written one by one, which never take the bulk statement.
        if (provider == "postgres") Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(DISTINCT xmin::text) FROM offerwall_clicks_detailed"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_failing_batch_rolls_back_whole_and_its_good_events_land_alone(string provider)
    {
        // The linger puts a conversion (which reads back inside its transaction) and a duplicate click in one batch.
        var database = await TestDatabase.CreateAsync(provider);
        await using var server = await TestServer.StartAsync(database, "--Storage:LingerMilliseconds=300", "--Storage:BatchSize=10000");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var lines = new[]
        {
            """{"kind":"session","occurred_at":"2026-11-01T10:00:00Z","session_id":"ses_a","user_id":"u_a","publisher_id":"pub_1","placement_id":"plc_1"}""",
            """{"kind":"click","occurred_at":"2026-11-01T10:01:00Z","session_id":"ses_a","click_id":"clk_a","offer_id":"off_survey"}""",
        };
        (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", string.Join("\n", lines), "application/x-ndjson")).Expect(HttpStatusCode.OK);

        lines =
        [
            """{"kind":"conversion","occurred_at":"2026-11-01T10:30:00Z","network_id":"net_1","click_id":"clk_a","transaction_id":"tx-a","network_payout":10}""",
            """{"kind":"click","occurred_at":"2026-11-01T10:31:00Z","session_id":"ses_a","click_id":"clk_a","offer_id":"off_02"}""",
            """{"kind":"click","occurred_at":"2026-11-01T10:32:00Z","session_id":"ses_a","click_id":"clk_b","offer_id":"off_03"}""",
        ];
        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", string.Join("\n", lines), "application/x-ndjson"))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(2, report.Body.GetProperty("accepted").GetInt64());
        Assert.Equal(409, report.Body.GetProperty("errors")[0].GetProperty("status").GetInt32());
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions"));
        Assert.Equal(500, await Sql.ScalarAsync<long>(server, "SELECT total_points FROM user_points WHERE user_id = 'u_a'"));
        Assert.Equal("off_survey", await Sql.ScalarAsync<string>(server, "SELECT offer_id FROM offerwall_clicks_detailed WHERE click_id = 'clk_a'"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed WHERE click_id = 'clk_b'"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_batch_held_up_by_the_database_is_logged_with_its_size_and_time(string provider)
    {
        // The threshold sits well above a quick batch on a busy test machine and well below the hold.
        await using var server = await TestServer.StartAsync(provider, "--Storage:SlowBatchMilliseconds=400");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var sessionId = await Flow.SessionAsync(server);
        (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey" })).Expect(HttpStatusCode.Created);
        Assert.DoesNotContain(server.Logs.Warnings, w => w.Contains(nameof(IngestWriter)));

        // Another connection holds the clicks table (SQLite: the database's write lock) while a click comes in.
        await using (var holder = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            await using var transaction = await holder.BeginTransactionAsync();
            if (provider == "postgres")
            {
                await using var lockTable = holder.CreateCommand();
                lockTable.Transaction = transaction;
                lockTable.CommandText = "LOCK TABLE offerwall_clicks_detailed IN SHARE MODE";
                await lockTable.ExecuteNonQueryAsync();
            }
            var click = server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_02" });
            await Task.Delay(1000);
            Assert.False(click.IsCompleted);
            await transaction.CommitAsync();
            (await click).Expect(HttpStatusCode.Created);
        }

        var warning = Assert.Single(server.Logs.Warnings, w => w.Contains(nameof(IngestWriter)));
        var logged = System.Text.RegularExpressions.Regex.Match(warning, @"A batch took (\d+) ms to write and commit \(1 events\)");
        Assert.True(logged.Success, warning);
        Assert.InRange(long.Parse(logged.Groups[1].Value), 900, 30_000);
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after()
    {
        await using var server = await TestServer.StartAsync("sqlite", "--Storage:QueueCapacity=1", "--Storage:BatchSize=1", "--Storage:RetryAfterSeconds=7");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var sessionId = await Flow.SessionAsync(server);
        var writer = server.Services.GetRequiredService<IngestWriter>();

        // Hold the writer on a batch that waits for a gate, then fill the one queue slot.
        var gate = new TaskCompletionSource();
        Assert.True(writer.TryEnqueue(new BlockingItem(gate.Task)));
        await Task.Delay(100);
        Assert.True(writer.TryEnqueue(new BlockingItem(Task.CompletedTask)));

        var refused = await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("7", refused.Message.Headers.RetryAfter!.ToString());
        Assert.Equal("application/problem+json", refused.ContentType);

        gate.SetResult();
        await Task.Delay(100);
        (await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = "off_survey" })).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public void Invalid_options_stop_the_server_with_a_message_naming_the_key()
    {
        var e = Assert.ThrowsAny<Exception>(() =>
        {
            var app = OfferTraceHost.Build(["--urls=http://127.0.0.1:0", "--Storage:Provider=oracle", "--Fraud:FraudThreshold=30"]);
            app.StartAsync().GetAwaiter().GetResult();
        });
        Assert.Contains("Storage:Provider", e.Message);
    }

    private sealed class BlockingItem(Task gate) : IngestItem<int>
    {
        protected override async ValueTask<int> WriteRowsAsync(WriteContext context, CancellationToken ct)
        {
            await gate;
            return 0;
        }
    }
}
