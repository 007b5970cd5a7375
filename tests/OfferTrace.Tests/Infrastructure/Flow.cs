using System.Net;
using System.Text;
using System.Text.Json;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>Short paths through the live API for tests that need a session or a click to start from.</summary>
public static class Flow
{
    public const string DesktopChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>
    /// A session of publisher pub_1 from a client address (sent as X-Forwarded-For: the test server's peer is loopback,
    /// a trusted proxy), with optional extra top-level JSON members (<c>,"device":{...}</c>) and user agent; the stored session.
    /// </summary>
    public static async Task<JsonElement> SessionFromAsync(TestServer server, string ip, string userId = "u_1", string extraJson = "",
        string? userAgent = null, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/offerwall/session/create")
        {
            Content = new StringContent($$"""{"user_id":"{{userId}}","publisher_id":"pub_1","placement_id":"plc_1"{{extraJson}}}""", Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", ip);
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return (await HttpJson.SendAsync(server.Client, request)).Expect(HttpStatusCode.Created).Body;
    }

    public static async Task<string> SessionAsync(TestServer server, string userId = "u_1")
    {
        var session = await server.Client.PostJsonAsync("/api/offerwall/session/create", new { user_id = userId, publisher_id = "pub_1", placement_id = "plc_1" });
        return session.Expect(HttpStatusCode.Created).Str("session_id");
    }

    /// <summary>A click a minute after its session starts, so no timing rule fires.</summary>
    public static async Task<string> ClickAsync(TestServer server, string userId = "u_1", string offerId = "off_survey")
    {
        var sessionId = await SessionAsync(server, userId);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var click = await server.Client.PostJsonAsync("/api/offerwall/track/click", new { session_id = sessionId, offer_id = offerId, mouse_movement_px = 300 });
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        return click.Expect(HttpStatusCode.Created).Str("click_id");
    }

    public static Task<ApiResponse> PostbackAsync(TestServer server, string clickId, string transactionId, decimal payout = 100.00m) =>
        server.Client.PostJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}",
            new { click_id = clickId, transaction_id = transactionId, network_payout = payout, currency = "USD" });
}
