using System.Net;
using System.Security.Cryptography;
using System.Text;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Postbacks;

/// <summary>
/// Per authentication scheme: a valid callback is accepted, a tampered one refused with its reason stored, a replay of
/// the transaction changes nothing, a caller outside the allowlist is refused. Every callback is kept as received.
/// </summary>
public sealed class RawCallbackTests
{
    private const string Secret = "s3cret-key";
    private const string Allowed = "198.51.100.7";

    [Theory]
    [InlineData("sqlite", "token")]
    [InlineData("sqlite", "hmac_body")]
    [InlineData("sqlite", "hmac_sorted_query")]
    [InlineData("sqlite", "hash_concat")]
    [InlineData("sqlite", "hmac_url")]
    [InlineData("postgres", "token")]
    [InlineData("postgres", "hmac_url")]
    public async Task Each_scheme_accepts_refuses_with_a_stored_reason_and_replays_idempotently(string provider, string scheme)
    {
        await using var server = await TestServer.StartAsync(provider);
        await SeedAsync(server, scheme);
        var clickId = await Flow.ClickAsync(server);

        var accepted = (await SendAsync(server, scheme, clickId, "tx-1", "4.20", Allowed)).Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var tampered = await SendAsync(server, scheme, clickId, "tx-1", "4.20", Allowed, tamper: true);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.Status);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var replay = (await SendAsync(server, scheme, clickId, "tx-1", "4.20", Allowed)).Expect(HttpStatusCode.OK);
        Assert.Equal(accepted.Str("conversion_id"), replay.Str("conversion_id"));
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var outside = await SendAsync(server, scheme, clickId, "tx-2", "4.20", "203.0.113.9");
        Assert.Equal(HttpStatusCode.Unauthorized, outside.Status);

        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions"));
        var rows = await Sql.QueryAsync(server, "SELECT outcome, http_status, reason, conversion_id, source_ip, url FROM raw_callbacks ORDER BY callback_id");
        Assert.Equal(["accepted", "refused", "duplicate", "refused"], rows.Select(r => (string)r.outcome));
        Assert.Equal([201L, 401L, 200L, 401L], rows.Select(r => Convert.ToInt64(r.http_status)));
        Assert.Equal(accepted.Str("conversion_id"), (string)rows[0].conversion_id);
        Assert.Equal(accepted.Str("conversion_id"), (string)rows[2].conversion_id);
        Assert.Contains(scheme == "token" ? "token" : "signature", (string)rows[1].reason);
        Assert.Contains("allowed_ips", (string)rows[3].reason);
        Assert.Equal("203.0.113.9", (string)rows[3].source_ip);
        Assert.All(rows, r => Assert.DoesNotContain("tok-1", (string)r.url));

        var refused = (await server.Admin.GetJsonAsync("/api/admin/offerwall/callbacks?outcome=refused")).Expect(HttpStatusCode.OK);
        var items = refused.Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task Unknown_clicks_and_invalid_bodies_are_kept_with_their_reason()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await SeedAsync(server, "token");
        var unknown = await GetAsync(server, "token=tok-1&click_id=clk_nothing&transaction_id=tx-9");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var invalid = await GetAsync(server, "token=tok-1&transaction_id=tx-9&payout=-3");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);

        var rows = await Sql.QueryAsync(server, "SELECT outcome, reason, transaction_id FROM raw_callbacks ORDER BY callback_id");
        Assert.Equal(["unprocessable", "invalid"], rows.Select(r => (string)r.outcome));
        Assert.Contains("clk_nothing", (string)rows[0].reason);
        Assert.Contains("click_id", (string)rows[1].reason);
        Assert.Equal("tx-9", (string)rows[0].transaction_id);
    }

    private static async Task SeedAsync(TestServer server, string scheme)
    {
        (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_1", name = "P" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/placements", new { placement_id = "plc_1", publisher_id = "pub_1" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/networks", new
        {
            network_id = "net_1", auth_scheme = scheme, postback_token = "tok-1", postback_secret = Secret, hash_algorithm = "md5",
            hash_fields = new[] { "click_id", "transaction_id", "payout" }, hash_separator = ":", allowed_ips = new[] { "198.51.100.0/24" },
        })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/offers", new { offer_id = "off_survey", network_id = "net_1", payout = 1, url = "https://adv.example/?c={click_id}" }))
            .Expect(HttpStatusCode.Created);
    }

    /// <summary>A callback signed as the scheme wants; tampered: the payout changed after signing.</summary>
    private static async Task<ApiResponse> SendAsync(TestServer server, string scheme, string clickId, string tx, string payout, string fromIp, bool tamper = false)
    {
        var sent = tamper ? payout + "1" : payout;
        var path = "/api/offerwall/postback/net_1";
        var query = $"click_id={clickId}&payout={payout}&transaction_id={tx}";
        var sentQuery = $"click_id={clickId}&payout={sent}&transaction_id={tx}";
        using var request = scheme switch
        {
            "token" => new HttpRequestMessage(HttpMethod.Get, $"{path}?token={(tamper ? "tok-2" : "tok-1")}&{query}"),
            "hmac_body" => Body(path, $"{{\"click_id\":\"{clickId}\",\"transaction_id\":\"{tx}\",\"payout\":{payout}}}",
                $"{{\"click_id\":\"{clickId}\",\"transaction_id\":\"{tx}\",\"payout\":{sent}}}"),
            "hmac_sorted_query" => new HttpRequestMessage(HttpMethod.Get, $"{path}?{sentQuery}&sig={Hex(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(query)))}"),
            "hash_concat" => new HttpRequestMessage(HttpMethod.Get,
                $"{path}?{sentQuery}&sig={Hex(MD5.HashData(Encoding.UTF8.GetBytes($"{clickId}:{tx}:{payout}:{Secret}")))}"),
            _ => new HttpRequestMessage(HttpMethod.Get, $"{path}?{sentQuery}&hash=" +
                Hex(HMACSHA1.HashData(Key, Encoding.UTF8.GetBytes(server.Address.ToString().TrimEnd('/') + $"{path}?{query}")))),
        };
        request.Headers.Add("X-Forwarded-For", fromIp);
        return await HttpJson.SendAsync(server.Client, request);
    }

    private static async Task<ApiResponse> GetAsync(TestServer server, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/offerwall/postback/net_1?" + query);
        request.Headers.Add("X-Forwarded-For", Allowed);
        return await HttpJson.SendAsync(server.Client, request);
    }

    private static HttpRequestMessage Body(string path, string signed, string sent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(sent, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-OfferTrace-Signature", Hex(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(signed))));
        return request;
    }

    private static byte[] Key => Encoding.UTF8.GetBytes(Secret);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
