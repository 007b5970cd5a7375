using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Reconciliation;

/// <summary>The reconciliation report: a network's export compared with the conversions stored for it, every difference listed.</summary>
public sealed class ReconciliationTests
{
    private const string Route = "/api/admin/offerwall/reconciliation?network_id=net_1";

    // Line 1 is the header. Their status "1" maps to approved and "2" to reversed through net_1's status_map.
    private const string PlantedCsv =
        "Transaction_ID,Amount,Currency,STATUS\n" +
        "tx-match,100.00,USD,1\n" +
        "tx-amount,90.00,USD,approved\n" +
        "tx-status,100.00,USD,2\n" +
        "tx-here,25.00,USD,1\n" +
        "tx-bad,abc,USD,1\n" +
        ",10.00,USD,1\n" +
        "tx-match,50.00,USD,1\n";

    // The same rows as JSON; a row's "line" is its position in the array.
    private const string PlantedJsonRows =
        """
        [{"transaction_id": "tx-match", "payout": 100.00, "currency": "USD", "status": 1},
         {"Transaction_Id": "tx-amount", "network_payout": "90.00", "currency": "usd", "status": "approved"},
         {"transaction_id": "tx-status", "amount": 100.00, "currency": "USD", "status": "2"},
         {"transaction_id": "tx-here", "payout": 25.00, "status": 1},
         {"transaction_id": "tx-bad", "payout": "abc", "currency": "USD"},
         {"payout": 10.00, "currency": "USD"},
         {"transaction_id": "tx-match", "payout": 50.00}]
        """;

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_file_with_one_planted_difference_of_each_kind_reports_exactly_those_as_csv_and_as_json(string provider)
    {
        await using var server = await StartAsync(provider);
        var stored = new Dictionary<string, string>();
        foreach (var (tx, user) in new[] { ("tx-match", "u_1"), ("tx-amount", "u_2"), ("tx-status", "u_3"), ("tx-there", "u_4") })
            stored[tx] = (await ConvertAsync(server, user, tx)).ConversionId;
        // Charged back: stored but no longer credited, so not expected in their file.
        await ChargebackAsync(server, (await ConvertAsync(server, "u_5", "tx-chargeback")).ClickId, "tx-chargeback");

        AssertPlanted(await PostAsync(server, Route, PlantedCsv, "text/csv"), firstLine: 2, stored);
        AssertPlanted(await PostAsync(server, Route, PlantedJsonRows, "application/json"), firstLine: 1, stored);
        AssertPlanted(await PostAsync(server, Route, $$"""{"conversions": {{PlantedJsonRows}}}""", "application/json; charset=utf-8"), firstLine: 1, stored);

        // format=csv: the same differences as CSV rows, then the invalid rows.
        using var request = new HttpRequestMessage(HttpMethod.Post, Route + "&format=csv") { Content = Body(PlantedCsv, "text/csv") };
        using var response = await server.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("type,transaction_id,conversion_id,their_line,their_payout,their_currency,their_status,their_mapped_status," +
                     "our_payout,our_currency,our_status,our_created_at,reason", lines[0]);
        Assert.Equal(["amount_differs", "status_differs", "missing_here", "missing_there", "invalid_row", "invalid_row", "invalid_row"],
            lines.Skip(1).Select(l => l.Split(',')[0]).ToArray());
        Assert.StartsWith($"amount_differs,tx-amount,{stored["tx-amount"]},3,90.00,USD,approved,approved,100.00,USD,approved,2026-11-01T", lines[1]);
        Assert.StartsWith("invalid_row,,,6,", lines[5]);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task The_window_bounds_what_must_be_in_their_file_but_their_rows_match_conversions_outside_it(string provider)
    {
        await using var server = await StartAsync(provider);
        var (_, old) = await ConvertAsync(server, "u_1", "tx-old");
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var (_, euro) = await ConvertAsync(server, "u_2", "tx-euro");
        var (_, missing) = await ConvertAsync(server, "u_3", "tx-new");

        // tx-old is dated the day before the window: matched, not missing here. tx-euro is stored in USD.
        const string file = "transaction_id,payout,currency\ntx-old,100.00,USD\ntx-euro,100.00,EUR\n";
        var report = (await PostAsync(server, Route + "&from=2026-11-02&to=2026-11-03", file, "text/csv")).Body;
        Assert.Equal(2, report.GetProperty("rows_read").GetInt32());
        Assert.Equal(1, report.GetProperty("matched").GetInt32());
        var differences = report.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal([("amount_differs", "tx-euro", euro), ("missing_there", "tx-new", missing)],
            differences.Select(d => (d.GetProperty("type").GetString(), d.GetProperty("transaction_id").GetString(), d.GetProperty("conversion_id").GetString())));
        Assert.Equal("EUR", differences[0].GetProperty("theirs").GetProperty("currency").GetString());
        Assert.Equal("USD", differences[0].GetProperty("ours").GetProperty("currency").GetString());

        // No EUR rate: their EUR row is left out of the totals; ours counts tx-old, tx-euro and tx-new.
        var totals = report.GetProperty("totals");
        Assert.Equal(("100.00", "300.00", "-200.00", "USD", 1),
            (totals.GetProperty("theirs").GetRawText(), totals.GetProperty("ours").GetRawText(), totals.GetProperty("difference").GetRawText(),
                totals.GetProperty("currency").GetString(), totals.GetProperty("rows_left_out").GetInt32()));

        // The day before: only tx-old had to be there. A header with no rows is an export of nothing.
        var before = (await PostAsync(server, Route + "&from=2026-11-01&to=2026-11-02", "transaction_id\n", "text/csv")).Body;
        var only = Assert.Single(before.GetProperty("differences").EnumerateArray());
        Assert.Equal(("missing_there", old), (only.GetProperty("type").GetString(), only.GetProperty("conversion_id").GetString()));
        Assert.Equal(JsonValueKind.Null, only.GetProperty("theirs").ValueKind);
    }

    [Fact]
    public async Task Bad_requests_are_problems_never_errors()
    {
        await using var server = await StartAsync("sqlite");
        const string csv = "transaction_id,payout\ntx-1,1.00\n";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(server, "/api/admin/offerwall/reconciliation", csv, "text/csv")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(server, "/api/admin/offerwall/reconciliation?network_id=net_9", csv, "text/csv")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(server, Route, csv, "text/plain")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(server, Route, csv, "text/csv; charset=iso-8859-1")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(server, Route, csv, null)).Status);
        foreach (var (body, type) in new[]
                 {
                     ("", "text/csv"), ("  \n\n", "text/csv"), ("payout,currency\n1.00,USD\n", "text/csv"), ("", "application/json"),
                     ("{", "application/json"), ("{\"rows\": []}", "application/json"), ("\"text\"", "application/json"), ("null", "application/json"),
                 })
        {
            var answer = await PostAsync(server, Route, body, type);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{type} '{body}' → {(int)answer.Status}");
            Assert.Equal("application/problem+json", answer.ContentType);
        }
        foreach (var query in new[] { "&format=xml", "&from=yesterday", "&from=2026-11-02&to=2026-11-01", "&tz=Mars/Olympus", "&from=0001-01-01&tz=Asia/Tokyo" })
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(server, Route + query, csv, "text/csv")).Status);

        var big = "transaction_id\n" + string.Concat(Enumerable.Repeat("tx-0123456789abcdef\n", 60_000));
        // With Expect: 100-continue the client hears the refusal before it sends the body.
        using var large = new HttpRequestMessage(HttpMethod.Post, Route) { Content = Body(big, "text/csv") };
        large.Headers.ExpectContinue = true;
        var tooLarge = await HttpJson.SendAsync(server.Admin, large);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal("application/problem+json", tooLarge.ContentType);

        // Rows of every odd shape are invalid rows, not failures.
        const string oddRows =
            """
            [1, null, [], {"transaction_id": {}}, {"transaction_id": true}, {"transaction_id": "x", "status": "weird"},
             {"transaction_id": "y", "currency": "XYZ"}, {"transaction_id": "z", "payout": -1}, {"transaction_id": "w", "payout": 1e40}]
            """;
        var odd = (await PostAsync(server, Route, oddRows, "application/json")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(9, odd.GetProperty("rows_read").GetInt32());
        Assert.Equal(9, odd.GetProperty("invalid_rows").GetArrayLength());
        var invalidUtf8 = new ByteArrayContent([0x74, 0x78, 0xff, 0x0a]);
        invalidUtf8.Headers.TryAddWithoutValidation("Content-Type", "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest,
            (await HttpJson.SendAsync(server.Admin, new HttpRequestMessage(HttpMethod.Post, Route) { Content = invalidUtf8 })).Status);

        // Only admins reconcile.
        var key = (await server.Admin.PostJsonAsync("/api/admin/keys", new { name = "pub", scope = "publisher:pub_1" })).Expect(HttpStatusCode.Created).Str("key");
        using var publisher = new HttpClient { BaseAddress = server.Address };
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(publisher, Route, csv, "text/csv")).Status);
    }

    private static void AssertPlanted(ApiResponse response, int firstLine, Dictionary<string, string> stored)
    {
        var report = response.Expect(HttpStatusCode.OK).Body;
        Assert.Equal("net_1", report.GetProperty("network_id").GetString());
        Assert.Equal(7, report.GetProperty("rows_read").GetInt32());
        Assert.Equal(1, report.GetProperty("matched").GetInt32());

        var differences = report.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal([("amount_differs", "tx-amount"), ("status_differs", "tx-status"), ("missing_here", "tx-here"), ("missing_there", "tx-there")],
            differences.Select(d => (d.GetProperty("type").GetString(), d.GetProperty("transaction_id").GetString())));

        var amount = differences[0];
        Assert.Equal(stored["tx-amount"], amount.GetProperty("conversion_id").GetString());
        Assert.Equal(firstLine + 1, amount.GetProperty("theirs").GetProperty("line").GetInt32());
        Assert.Equal("90.00", amount.GetProperty("theirs").GetProperty("payout").GetRawText());
        Assert.Equal("100.00", amount.GetProperty("ours").GetProperty("payout").GetRawText());

        var status = differences[1];
        Assert.Equal(stored["tx-status"], status.GetProperty("conversion_id").GetString());
        Assert.Equal(("2", "reversed"), (status.GetProperty("theirs").GetProperty("status").GetString(),
            status.GetProperty("theirs").GetProperty("mapped_status").GetString()));
        Assert.Equal("approved", status.GetProperty("ours").GetProperty("status").GetString());

        var here = differences[2];
        Assert.Equal(JsonValueKind.Null, here.GetProperty("conversion_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, here.GetProperty("ours").ValueKind);
        Assert.Equal("25.00", here.GetProperty("theirs").GetProperty("payout").GetRawText());

        var there = differences[3];
        Assert.Equal(stored["tx-there"], there.GetProperty("conversion_id").GetString());
        Assert.Equal(JsonValueKind.Null, there.GetProperty("theirs").ValueKind);
        Assert.Equal(("100.00", "USD", "approved"), (there.GetProperty("ours").GetProperty("payout").GetRawText(),
            there.GetProperty("ours").GetProperty("currency").GetString(), there.GetProperty("ours").GetProperty("status").GetString()));

        var invalid = report.GetProperty("invalid_rows").EnumerateArray().ToList();
        Assert.Equal([firstLine + 4, firstLine + 5, firstLine + 6], invalid.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Contains("payout 'abc'", invalid[0].GetProperty("reason").GetString());
        Assert.Contains("transaction_id is missing", invalid[1].GetProperty("reason").GetString());
        Assert.Contains($"duplicate transaction_id 'tx-match' (first on line {firstLine})", invalid[2].GetProperty("reason").GetString());

        // Credited money: theirs 100 + 90 + 25 (tx-status is reversed on their side); ours 4 × 100 (the chargeback is not credited).
        var totals = report.GetProperty("totals");
        Assert.Equal(("215.00", "400.00", "-185.00", "USD", 0),
            (totals.GetProperty("theirs").GetRawText(), totals.GetProperty("ours").GetRawText(), totals.GetProperty("difference").GetRawText(),
                totals.GetProperty("currency").GetString(), totals.GetProperty("rows_left_out").GetInt32()));
    }

    /// <summary>The worked example's catalogue, with net_1 mapping its statuses "1" and "2" to approved and reversed.</summary>
    private static async Task<TestServer> StartAsync(string provider)
    {
        var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        (await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/networks/net_1", JsonSerializer.Serialize(new
        {
            name = "Network One", auth_scheme = "token", postback_token = Catalogue.NetworkToken,
            status_map = new Dictionary<string, string> { ["1"] = "approved", ["2"] = "reversed" },
        }))).Expect(HttpStatusCode.OK);
        return server;
    }

    /// <summary>A click of <paramref name="userId"/> on off_survey converted for $100.00; the click and conversion ids.</summary>
    private static async Task<(string ClickId, string ConversionId)> ConvertAsync(TestServer server, string userId, string transactionId)
    {
        var clickId = await Flow.ClickAsync(server, userId);
        return (clickId, (await Flow.PostbackAsync(server, clickId, transactionId)).Expect(HttpStatusCode.Created).Str("conversion_id"));
    }

    private static async Task ChargebackAsync(TestServer server, string clickId, string transactionId)
    {
        var chargeback = await server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = clickId, transaction_id = transactionId, status = "reversed" });
        Assert.Equal("reversed", chargeback.Expect(HttpStatusCode.OK).Str("status"));
    }

    private static Task<ApiResponse> PostAsync(TestServer server, string path, string body, string? contentType) =>
        PostAsync(server.Admin, path, body, contentType);

    private static Task<ApiResponse> PostAsync(HttpClient client, string path, string body, string? contentType) =>
        HttpJson.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path) { Content = Body(body, contentType) });

    private static ByteArrayContent Body(string text, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
