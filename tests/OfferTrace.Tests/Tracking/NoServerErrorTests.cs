using System.Net;
using System.Text;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Tracking;

/// <summary>No input may produce a 500: every route answers garbage with a 4xx problem.</summary>
public sealed class NoServerErrorTests
{
    private static readonly string[] Bodies =
    [
        "", "null", "0", "\"text\"", "[]", "[{}]", "{}", "{\"session_id\":null}", "{\"session_id\":{}}", "{\"offer_id\":[1,2]}",
        "{\"payout\":1e400}", "{\"network_payout\":-0.00001}", "{\"position\":99999999999999999999}", "{\"human_score\":1.5}",
        "{\"impressions\":[null, 1, \"x\", {}]}", "{\"impressions\":{}}", "{\"device\":[]}", "{\"device\":{\"screen_dpi\":1e30}}",
        "{\"user_id\":\"" + new string('u', 5000) + "\"}", "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}",
        "{\"publisher_id\":\"pub_1\",\"placement_id\":\"plc_1\",\"user_id\":\"u\",\"utm\":\"x\",\"fingerprint\":5}",
        "{\"click_id\":\"clk_x\",\"transaction_id\":\"\",\"currency\":\"usd\"}", "{\"status\":\"weird\",\"postback_data\":[1]}",
        "{\"commission_percent\":\"abc\",\"countries\":[\"usa\"],\"allowed_ips\":[\"300.1.1.1\"],\"param_map\":{\"a\":1}}",
        // Half of a UTF-16 surrogate pair, escaped: well-formed JSON whose string has no text.
        "{\"user_id\":\"\\ud800\",\"session_id\":\"\\udc00\",\"transaction_id\":\"\\ud800\"}", "{\"\\udc00\":1}",
        "{\"postback_data\":{\"\\ud800\":1},\"network_id\":\"net_1\"}",
    ];

    private static readonly string[] Routes =
    [
        "/api/offerwall/session/create", "/api/offerwall/track/impression", "/api/offerwall/track/click", "/api/offerwall/track/conversion",
        "/api/offerwall/postback/net_1?token=" + Catalogue.NetworkToken, "/api/admin/publishers", "/api/admin/placements", "/api/admin/offers",
        "/api/admin/networks", "/api/admin/keys", "/api/admin/exchange-rates", "/api/admin/blocklist",
        "/api/click-events", "/api/admin/sites", "/api/admin/campaign-costs", "/api/admin/offerwall/redemptions",
        "/api/admin/publishers/pub_1/postback-test", "/api/admin/postbacks/pbk_x/resend", "/api/admin/publishers/pub_1/postbacks/resume",
    ];

    [Fact]
    public async Task Garbage_bodies_on_every_route_are_answered_with_4xx()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var failures = new List<string>();
        foreach (var route in Routes)
        {
            var client = route.StartsWith("/api/admin", StringComparison.Ordinal) ? server.Admin : server.Client;
            foreach (var body in Bodies)
            {
                foreach (var contentType in new[] { "application/json", "text/plain", "application/octet-stream" })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                    var response = await HttpJson.SendAsync(client, request);
                    var status = (int)response.Status;
                    if (status >= 500 || (status >= 400 && response.ContentType != "application/problem+json"))
                        failures.Add($"{route} {contentType} {body[..Math.Min(60, body.Length)]} → {status}");
                }
            }
            var invalidUtf8 = new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
            invalidUtf8.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            var bad = await HttpJson.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, route) { Content = invalidUtf8 });
            if ((int)bad.Status >= 500) failures.Add($"{route} invalid UTF-8 → {(int)bad.Status}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Empty(server.Logs.Errors);
    }

    [Theory]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=yesterday")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?tz=Mars/Olympus")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=0001-01-01&tz=Asia/Tokyo")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?to=0001-01-05")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=9999-12-31&to=9999-12-31T23:00:00&tz=America/New_York")]
    [InlineData("/api/admin/offerwall/revenue-analysis?interval=week")]
    [InlineData("/api/admin/offerwall/comprehensive-analytics?from=2026-11-02&to=2026-11-01")]
    [InlineData("/api/admin/offerwall/fraud-analysis?from=yesterday")]
    [InlineData("/api/admin/offerwall/fraud-analysis?tz=Mars/Olympus&publisher_id=%00")]
    [InlineData("/api/admin/click-events?from=yesterday")]
    [InlineData("/api/admin/click-events?limit=0")]
    [InlineData("/api/admin/click-events/reports/roi?by=color")]
    [InlineData("/api/admin/click-events/reports/low-spec?format=xml")]
    [InlineData("/api/admin/google-ads/offline-conversions")]
    [InlineData("/api/admin/google-ads/offline-conversions?site_id=nope")]
    [InlineData("/api/admin/google-ads/invalid-clicks?tz=Mars/Olympus")]
    [InlineData("/api/admin/google-ads/ip-exclusions?days=abc")]
    [InlineData("/api/click-events/trap/site%00/x")]
    [InlineData("/api/admin/publishers?limit=0")]
    [InlineData("/api/admin/postbacks?state=lost")]
    [InlineData("/api/admin/postbacks?limit=5000")]
    [InlineData("/api/admin/postbacks/%00")]
    [InlineData("/api/admin/offerwall/callbacks?limit=-1")]
    [InlineData("/api/admin/publishers?limit=abc")]
    [InlineData("/api/offerwall/go/off_survey?session_id=%00%01")]
    [InlineData("/api/offerwall/go/off_survey?position=abc&session_id=x")]
    [InlineData("/api/offerwall/postback/net_1?token=net-token-1&click_id=%ZZ")]
    public async Task Garbage_query_strings_are_answered_with_4xx(string path)
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var response = await server.Admin.GetJsonAsync(path);
        Assert.InRange((int)response.Status, 400, 499);
    }

    [Fact]
    public async Task A_lone_surrogate_escape_is_a_400_naming_the_body_while_an_escaped_pair_is_text()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);

        var lone = (await server.Client.SendJsonAsync(HttpMethod.Post, "/api/offerwall/session/create",
            """{"user_id":"\ud800","publisher_id":"pub_1","placement_id":"plc_1"}""")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("surrogate", lone.Body.GetProperty("errors").GetProperty("body")[0].GetString());

        var pair = (await server.Client.SendJsonAsync(HttpMethod.Post, "/api/offerwall/session/create",
            """{"user_id":"u\ud83d\ude00","publisher_id":"pub_1","placement_id":"plc_1"}""")).Expect(HttpStatusCode.Created);
        Assert.Equal("u\U0001F600", await Sql.ScalarAsync<string>(server,
            $"SELECT user_id FROM offerwall_sessions_detailed WHERE session_id = '{pair.Str("session_id")}'"));
    }

    [Fact]
    public async Task Reports_of_an_empty_database_answer_200_as_json_and_csv()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        (await server.Admin.GetJsonAsync("/api/admin/click-events/reports/heatmap")).Expect(HttpStatusCode.OK);
        var csv = await server.Admin.GetAsync("/api/admin/click-events/reports/heatmap?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Single((await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_csv_report_larger_than_any_buffer_arrives_whole()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var theirs = "transaction_id,payout,currency\n" + string.Concat(Enumerable.Range(1, 3000).Select(i => $"tx-{i},1.00,USD\n"));

        var response = await server.Admin.PostAsync("/api/admin/offerwall/reconciliation?network_id=net_1&format=csv",
            new StringContent(theirs, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3000, $"{lines.Length} lines");
        Assert.Contains(lines, l => l.Contains("tx-3000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chunk_size_past_2_pow_31_is_a_400()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /api/offerwall/session/create HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n80000000\r\n{}\r\n0\r\n\r\n"));
        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync();
        Assert.StartsWith("HTTP/1.1 400", statusLine);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task The_NUL_character_is_refused_in_json_urls_forms_and_csv_and_nothing_of_it_is_stored(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clickId = await Flow.ClickAsync(server);
        var answers = new Dictionary<string, ApiResponse>
        {
            ["session json"] = await server.Client.SendJsonAsync(HttpMethod.Post, "/api/offerwall/session/create",
                """{"user_id":"a\u0000b","publisher_id":"pub_1","placement_id":"plc_1"}"""),
            ["catalogue json"] = await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/publishers", """{"publisher_id":"pub_n","name":"a\u0000b"}"""),
            ["postback_data json"] = await server.Client.SendJsonAsync(HttpMethod.Post, $"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
                $$$"""{"click_id":"{{{clickId}}}","transaction_id":"tx-n","payout":1,"postback_data":{"a":"x\u0000y"}}"""),
            ["analytics query"] = await server.Admin.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics?publisher_id=%00"),
            ["redirect query"] = await server.Client.GetJsonAsync("/api/offerwall/go/off_survey?session_id=x&impression_id=%00"),
            ["postback query"] = await server.Client.GetJsonAsync(
                $"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}&click_id={clickId}&transaction_id=%00&payout=1"),
            ["postback form"] = await HttpJson.SendAsync(server.Client, new HttpRequestMessage(HttpMethod.Post, $"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}")
            {
                Content = new StringContent($"click_id={clickId}&transaction_id=tx-f&payout=1&x=%00", Encoding.UTF8, "application/x-www-form-urlencoded"),
            }),
            ["reconciliation csv"] = await HttpJson.SendAsync(server.Admin, new HttpRequestMessage(HttpMethod.Post, "/api/admin/offerwall/reconciliation?network_id=net_1")
            {
                Content = new StringContent("transaction_id,payout\na\0b,1.00\n", Encoding.UTF8, "text/csv"),
            }),
        };
        var costs = (await HttpJson.SendAsync(server.Admin, new HttpRequestMessage(HttpMethod.Post, "/api/admin/campaign-costs")
        {
            Content = new StringContent("2026-11-01,a\0b,1.00,USD\n2026-11-01,good,2.00,USD\n", Encoding.UTF8, "text/csv"),
        })).Expect(HttpStatusCode.OK);

        Assert.Empty(answers.Where(a => a.Value.Status != HttpStatusCode.BadRequest).Select(a => $"{a.Key} → {(int)a.Value.Status}"));
        Assert.Equal(1, costs.Body.GetProperty("rejected").GetInt64());
        Assert.Equal(["good"], (await Sql.QueryAsync(server, "SELECT campaign FROM campaign_costs")).Select(r => (string)r.campaign));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM publishers WHERE publisher_id = 'pub_n'"));
        Assert.Empty(server.Logs.Errors);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Cost_uploads_of_the_same_days_sent_at_once_in_opposite_orders_all_land(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        var lines = Enumerable.Range(0, 300).Select(i => $"2026-11-{1 + i % 28:00},camp-{i:000},{i}.00,USD").ToList();

        var uploads = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => HttpJson.SendAsync(server.Admin,
            new HttpRequestMessage(HttpMethod.Post, "/api/admin/campaign-costs")
            {
                Content = new StringContent(string.Join('\n', i % 2 == 0 ? lines : Enumerable.Reverse(lines)) + "\n", Encoding.UTF8, "text/csv"),
            })));

        Assert.All(uploads, u => u.Expect(HttpStatusCode.OK));
        Assert.Equal(300, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM campaign_costs"));
        Assert.Empty(server.Logs.Errors);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Refused_callbacks_with_a_raw_NUL_byte_or_ids_too_long_to_index_are_kept_as_received(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        // Random letters and digits compress too little to fit an index entry (at most 2,704 bytes on PostgreSQL).
        var longId = new string(Enumerable.Range(0, 6000).Select(_ => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[Random.Shared.Next(62)]).ToArray());
        var nulBody = new ByteArrayContent("x=a\0b"u8.ToArray());
        nulBody.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        var answers = new[]
        {
            await HttpJson.SendAsync(server.Client, new HttpRequestMessage(HttpMethod.Post, "/api/offerwall/postback/net_1?token=wrong") { Content = nulBody }),
            await server.Client.GetJsonAsync($"/api/offerwall/postback/{longId}?token=wrong"),
            // Authenticated, so that its transaction id is read (and refused as too long).
            await server.Client.GetJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}&click_id=clk_x&payout=1&transaction_id={longId}"),
        };

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.BadRequest], answers.Select(a => a.Status));
        Assert.Equal(3, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM raw_callbacks"));
        Assert.Equal("x=a\uFFFDb", await Sql.ScalarAsync<string>(server, "SELECT body FROM raw_callbacks WHERE method = 'POST'"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM raw_callbacks WHERE network_id IS NULL"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server,
            "SELECT COUNT(*) FROM raw_callbacks WHERE method = 'GET' AND network_id = 'net_1' AND transaction_id IS NULL"));
        Assert.Empty(server.Logs.Errors);
    }
}
