using System.Net;
using System.Security.Cryptography;
using System.Text;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Postbacks;

/// <summary>Each scheme: a valid callback is accepted, a tampered one is a 401 whatever else is wrong.</summary>
public sealed class PostbackAuthenticationTests
{
    private const string Secret = "s3cret-key";

    [Fact]
    public async Task Token_in_query_or_header()
    {
        await using var server = await Start(new { network_id = "net_1", auth_scheme = "token", postback_token = "tok-1" });
        var clickId = await Flow.ClickAsync(server);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, $"click_id={clickId}&transaction_id=t1&payout=2")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, $"token=wrong&click_id={clickId}&transaction_id=t1&payout=2")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, "token=wrong&click_id=clk_unknown")).Status);
        (await Get(server, $"token=tok-1&click_id={clickId}&transaction_id=t1&payout=2")).Expect(HttpStatusCode.Created);
        (await Get(server, $"token=tok-1&click_id={clickId}&transaction_id=t1&payout=2")).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Get(server, "token=tok-1&click_id=clk_unknown&transaction_id=t9")).Status);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/offerwall/track/conversion")
        {
            Content = new StringContent($"{{\"network_id\":\"net_1\",\"click_id\":\"{clickId}\",\"transaction_id\":\"t2\",\"network_payout\":2}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-OfferTrace-Token", "tok-1");
        (await HttpJson.SendAsync(server.Client, request)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Hmac_of_the_body()
    {
        await using var server = await Start(new { network_id = "net_1", auth_scheme = "hmac_body", postback_secret = Secret });
        var clickId = await Flow.ClickAsync(server);
        var body = $"{{\"click_id\":\"{clickId}\",\"transaction_id\":\"t1\",\"network_payout\":2.5}}";
        var signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSigned(server, body.Replace("2.5", "25"), signature)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSigned(server, body, null)).Status);
        (await PostSigned(server, body, "sha256=" + signature)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Hmac_of_the_sorted_query()
    {
        await using var server = await Start(new { network_id = "net_1", auth_scheme = "hmac_sorted_query", postback_secret = Secret });
        var clickId = await Flow.ClickAsync(server);
        var canonical = $"click_id={clickId}&payout=3.00&sub=a b&transaction_id=t1";
        var sig = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, $"transaction_id=t1&payout=30.00&click_id={clickId}&sub=a%20b&sig={sig}")).Status);
        (await Get(server, $"transaction_id=t1&payout=3.00&click_id={clickId}&sub=a%20b&sig={sig}")).Expect(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha256")]
    public async Task Hash_of_configured_fields_and_secret(string algorithm)
    {
        await using var server = await Start(new
        {
            network_id = "net_1", auth_scheme = "hash_concat", postback_secret = Secret, hash_algorithm = algorithm,
            hash_fields = new[] { "subid", "txid", "amount" }, hash_separator = ":",
            param_map = new Dictionary<string, string> { ["subid"] = "click_id", ["txid"] = "transaction_id", ["amount"] = "payout" },
            status_map = new Dictionary<string, string> { ["1"] = "approved", ["2"] = "rejected" },
        });
        var clickId = await Flow.ClickAsync(server);
        var input = Encoding.UTF8.GetBytes($"{clickId}:tx-9:4.20:{Secret}");
        var sig = Hex(algorithm == "md5" ? MD5.HashData(input) : SHA256.HashData(input));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, $"subid={clickId}&txid=tx-9&amount=4.21&status=1&sig={sig}")).Status);
        var ok = (await Get(server, $"subid={clickId}&txid=tx-9&amount=4.20&status=1&sig={sig}")).Expect(HttpStatusCode.Created);
        Assert.Equal("approved", ok.Str("status"));
        Assert.Equal("4.20", ok.Body.GetProperty("payout").GetProperty("network_payout").GetRawText());
    }

    [Fact]
    public async Task Hmac_sha1_of_the_full_url_as_called()
    {
        await using var server = await Start(new { network_id = "net_1", auth_scheme = "hmac_url", postback_secret = Secret },
            "--Network:PublicBaseUrl=https://track.example.com");
        var clickId = await Flow.ClickAsync(server);
        var pathAndQuery = $"/api/offerwall/postback/net_1?click_id={clickId}&transaction_id=t%201&payout=1.10";
        var hash = Hex(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("https://track.example.com" + pathAndQuery)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetJsonAsync(pathAndQuery.Replace("1.10", "9.10") + "&hash=" + hash)).Status);
        (await server.Client.GetJsonAsync(pathAndQuery + "&hash=" + hash)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Callers_outside_the_allowlist_are_refused_before_anything_else()
    {
        await using var server = await Start(new { network_id = "net_1", auth_scheme = "token", postback_token = "tok-1", allowed_ips = new[] { "192.0.2.0/24", "2001:db8::/32" } });
        var clickId = await Flow.ClickAsync(server);
        var refused = await Get(server, $"token=tok-1&click_id={clickId}&transaction_id=t1");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("allowed_ips", refused.Str("detail"));

        using var viaProxy = new HttpRequestMessage(HttpMethod.Get, $"/api/offerwall/postback/net_1?token=tok-1&click_id={clickId}&transaction_id=t1");
        viaProxy.Headers.Add("X-Forwarded-For", "192.0.2.10");
        (await HttpJson.SendAsync(server.Client, viaProxy)).Expect(HttpStatusCode.Created);
    }

    private static async Task<TestServer> Start(object network, params string[] args)
    {
        var server = await TestServer.StartAsync("sqlite", args);
        (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_1", name = "P" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/placements", new { placement_id = "plc_1", publisher_id = "pub_1" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/networks", network)).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/offers", new { offer_id = "off_survey", network_id = "net_1", payout = 1, url = "https://adv.example/?c={click_id}" }))
            .Expect(HttpStatusCode.Created);
        return server;
    }

    private static Task<ApiResponse> Get(TestServer server, string query) => server.Client.GetJsonAsync($"/api/offerwall/postback/net_1?{query}");

    private static Task<ApiResponse> PostSigned(TestServer server, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/offerwall/postback/net_1") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("X-OfferTrace-Signature", signature);
        return HttpJson.SendAsync(server.Client, request);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
