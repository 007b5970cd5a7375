using System.Net;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>The worked example's catalogue: pub_1 with the default split, plc_1, a token network, 28 active offers.</summary>
public static class Catalogue
{
    public const string NetworkToken = "net-token-1";
    public const string ChromeOnMac =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    public static async Task SeedWorkedExampleAsync(HttpClient admin)
    {
        (await admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_1", name = "Publisher One" })).Expect(HttpStatusCode.Created);
        (await admin.PostJsonAsync("/api/admin/placements", new { placement_id = "plc_1", publisher_id = "pub_1", name = "Main wall", kind = "web" }))
            .Expect(HttpStatusCode.Created);
        (await admin.PostJsonAsync("/api/admin/networks", new { network_id = "net_1", name = "Network One", auth_scheme = "token", postback_token = NetworkToken }))
            .Expect(HttpStatusCode.Created);
        (await admin.PostJsonAsync("/api/admin/offers", new
        {
            offer_id = "off_survey", name = "Survey", category = "survey", network_id = "net_1", advertiser = "Acme", payout = 100.00m,
            currency = "USD", url = "https://adv.example/offer?cid={click_id}&uid={user_id}",
        })).Expect(HttpStatusCode.Created);
        for (var i = 2; i <= 28; i++)
        {
            (await admin.PostJsonAsync("/api/admin/offers", new
            {
                offer_id = $"off_{i:00}", name = $"Offer {i}", network_id = "net_1", payout = 1.50m, currency = "USD", url = "https://adv.example/o?cid={click_id}",
            })).Expect(HttpStatusCode.Created);
        }
    }

    public static string[] OfferIds => ["off_survey", .. Enumerable.Range(2, 27).Select(i => $"off_{i:00}")];
}
