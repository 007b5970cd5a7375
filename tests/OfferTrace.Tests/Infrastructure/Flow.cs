using System.Net;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>Short paths through the live API for tests that need a session or a click to start from.</summary>
public static class Flow
{
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
