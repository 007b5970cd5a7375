using System.Net;
using System.Text;
using System.Text.Json;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>The ad-click side: a registered site and click events posted as the browser script posts them.</summary>
public static class ClickEventFlow
{
    public const string SiteOrigin = "https://shop.example";
    public const string IPhoneSafari =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    public const string AndroidChrome =
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    public static async Task SeedSiteAsync(HttpClient admin, string siteId = "site_1", string timeZone = "America/Montevideo") =>
        (await admin.PostJsonAsync("/api/admin/sites", new
        {
            site_id = siteId, name = "Shop", allowed_origins = new[] { SiteOrigin, "https://www.shop.example" }, currency = "USD", time_zone = timeZone,
            conversions = new Dictionary<string, object>
            {
                ["call"] = new { name = "Phone call", value = 20.00m }, ["whatsapp"] = new { name = "WhatsApp chat", value = 10.00m },
                ["form"] = new { name = "Lead form" },
            },
        })).Expect(HttpStatusCode.Created);

    /// <summary>A desktop visitor's conversion click with everything a real browser reports, as JSON members to extend or override.</summary>
    public static Dictionary<string, object?> HumanDesktop(string eventType = "call", string? gclid = "Cj0KCQiA-human-1") => new()
    {
        ["site_id"] = "site_1", ["event_type"] = eventType, ["element_id"] = "btn-call", ["fingerprint"] = "fp-desktop-1",
        ["page_url"] = "https://shop.example/landing?gclid=" + gclid, ["gclid"] = gclid, ["campaign"] = "winter-sale", ["source"] = "google",
        ["keyword"] = "buy boots", ["local_hour"] = 14, ["local_day"] = 2, ["time_on_page"] = 45_000, ["is_webdriver"] = false,
        ["screen_res"] = "1920x1080", ["browser_tz"] = "America/New_York", ["human_score"] = 80, ["device_memory"] = 8, ["hardware_concurrency"] = 8,
        ["connection_type"] = "wifi", ["platform"] = "Win32", ["languages"] = new[] { "en-US", "en" }, ["webgl_renderer"] = "ANGLE (NVIDIA GeForce RTX 3060)",
        ["outer_window"] = "1920x1040",
        ["worker"] = new { platform = "Win32", hardware_concurrency = 8, device_memory = 8, languages = new[] { "en-US", "en" } },
    };

    /// <summary>Posts a click event from a client address (X-Forwarded-For through the loopback proxy).</summary>
    public static async Task<ApiResponse> PostAsync(TestServer server, IDictionary<string, object?> body, string ip = "73.162.10.20",
        string? userAgent = Flow.DesktopChrome, string? origin = SiteOrigin, string acceptLanguage = "en-US,en;q=0.9", string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/click-events")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, contentType),
        };
        request.Headers.Add("X-Forwarded-For", ip);
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (origin is not null) request.Headers.Add("Origin", origin);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return await HttpJson.SendAsync(server.Client, request);
    }

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, params (string Key, object? Value)[] changes)
    {
        var copy = new Dictionary<string, object?>(body);
        foreach (var (k, v) in changes) copy[k] = v;
        return copy;
    }

    public static IEnumerable<string> SignalTypes(this ApiResponse response) =>
        response.Body.GetProperty("fraud").GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("type").GetString()!);

    public static string FraudStatus(this ApiResponse response) => response.Body.GetProperty("fraud").GetProperty("status").GetString()!;
}
