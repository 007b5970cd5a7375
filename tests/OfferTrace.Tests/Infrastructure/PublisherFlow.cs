using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>A publisher that takes postbacks: its URL, secret and mode, and the signature it checks.</summary>
public static class PublisherFlow
{
    public const string Secret = "pub-secret";

    /// <summary>The test receiver listens on loopback, which postbacks may reach only when allowed.</summary>
    public const string PrivateTargets = "--Postbacks:AllowPrivateTargets=true";

    public static async Task SetPostbackAsync(TestServer server, string url, string mode = "get") =>
        (await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/publishers/pub_1",
            JsonSerializer.Serialize(new { name = "Publisher One", postback_url = url, postback_secret = Secret, postback_mode = mode })))
        .Expect(HttpStatusCode.OK);

    /// <summary>The <c>{signature}</c> macro: HMAC-SHA256 with the publisher's secret over <c>transaction_id:user_id:points:status</c>.</summary>
    public static string Sign(string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(text)));
}
