using System.Net;
using System.Text;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Import;

public sealed class ImportTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_bad_line_never_drops_a_good_one_and_each_rejection_has_its_reason(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var lines = new[]
        {
            """{"kind":"session","occurred_at":"2026-11-01T10:00:00Z","ip":"198.51.100.1","session_id":"ses_a","user_id":"u_a","publisher_id":"pub_1","placement_id":"plc_1"}""",
            """{"kind":"session","session_id":"ses_b","user_id":"u_b","publisher_id":"pub_404","placement_id":"plc_1"}""",
            """this is not json""",
            """{"kind":"click","occurred_at":"2026-11-01T10:01:00Z","session_id":"ses_a","click_id":"clk_a","offer_id":"off_survey","mouse_movement_px":120}""",
            """{"kind":"click","session_id":"ses_a","offer_id":"off_survey","human_score":"high"}""",
            """{"kind":"teleport"}""",
            "",
            """{"kind":"conversion","occurred_at":"2026-11-01T10:30:00Z","network_id":"net_1","click_id":"clk_a","transaction_id":"tx-a","network_payout":10}""",
            """{"kind":"conversion","network_id":"net_1","click_id":"clk_missing","transaction_id":"tx-b","network_payout":10}""",
            """{"kind":"session","occurred_at":"2026-11-01T10:00:00Z","session_id":"ses_a","user_id":"u_a","publisher_id":"pub_1","placement_id":"plc_1"}""",
        };
        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", string.Join("\r\n", lines), "application/x-ndjson"))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(9, report.Body.GetProperty("lines").GetInt64());
        Assert.Equal(3, report.Body.GetProperty("accepted").GetInt64());
        Assert.Equal(6, report.Body.GetProperty("rejected").GetInt64());
        var errors = report.Body.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("line").GetInt64());
        Assert.Equal(422, errors[2].GetProperty("status").GetInt32());
        Assert.Contains("pub_404", errors[2].GetProperty("reason").GetString());
        Assert.Equal(400, errors[3].GetProperty("status").GetInt32());
        Assert.Contains("human_score", errors[5].GetProperty("reason").GetString());
        Assert.Contains("kind", errors[6].GetProperty("reason").GetString());
        Assert.Contains("clk_missing", errors[8].GetProperty("reason").GetString());
        Assert.Equal(409, errors[9].GetProperty("status").GetInt32());
        // Every rejection is the caller's mistake, reported in the answer: none of them is a server error to log.
        Assert.Empty(server.Logs.Errors);

        Assert.Equal(5000L / 10, await Sql.ScalarAsync<long>(server, "SELECT total_points FROM user_points WHERE user_id = 'u_a'"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_sessions_detailed"));
        Assert.Equal("198.51.100.1", await Sql.ScalarAsync<string>(server, "SELECT ip FROM offerwall_sessions_detailed"));
    }

    [Fact]
    public async Task Import_needs_ndjson_and_an_admin_key()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", "{}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendJsonAsync(HttpMethod.Post, "/api/admin/import", "{}", "application/x-ndjson")).Status);
    }

    [Fact]
    public async Task A_large_import_streams_past_the_body_limit_and_every_line_lands()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var sb = new StringBuilder();
        const int sessions = 1500;
        for (var i = 0; i < sessions; i++)
        {
            sb.Append(JsonSerializer.Serialize(new { kind = "session", occurred_at = "2026-11-01T09:00:00Z", session_id = $"ses_{i}", user_id = $"u_{i}", publisher_id = "pub_1", placement_id = "plc_1", referrer_url = new string('r', 600) })).Append('\n');
            sb.Append(JsonSerializer.Serialize(new { kind = "click", occurred_at = "2026-11-01T09:01:00Z", session_id = $"ses_{i}", offer_id = "off_survey", mouse_movement_px = 10 })).Append('\n');
        }
        Assert.True(sb.Length > 1024 * 1024);
        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", sb.ToString(), "application/x-ndjson")).Expect(HttpStatusCode.OK);
        Assert.Equal(2 * sessions, report.Body.GetProperty("accepted").GetInt64());
        Assert.Equal(sessions, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));
    }
}
