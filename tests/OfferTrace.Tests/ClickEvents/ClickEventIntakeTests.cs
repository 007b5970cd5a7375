using System.Net;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.ClickEvents;

public sealed class ClickEventIntakeTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_human_click_event_is_stored_with_its_data_points_and_the_server_facts(string provider)
    {
        await using var server = await StartAsync(provider);
        var body = ClickEventFlow.HumanDesktop().With(("ip", "1.2.3.4"), ("user_agent", "spoofed"), ("fraud_score", 0), ("location", "Nowhere"),
            ("value", 25.5m));
        var response = (await ClickEventFlow.PostAsync(server, body)).Expect(HttpStatusCode.Created);
        var eventId = response.Str("event_id");
        Assert.StartsWith("evt_", eventId);
        Assert.Equal("clean", response.FraudStatus());

        var row = Assert.Single(await Sql.QueryAsync(server, "SELECT * FROM click_events"));
        Assert.Equal(eventId, (string)row.event_id);
        Assert.Equal("73.162.10.20", (string)row.ip);
        Assert.Equal(Flow.DesktopChrome, (string)row.user_agent);
        Assert.Equal("US", (string)row.country_code);
        Assert.Contains("US", (string)row.location);
        Assert.Equal("call", (string)row.event_type);
        Assert.Equal("btn-call", (string)row.element_id);
        Assert.Equal("Cj0KCQiA-human-1", (string)row.gclid);
        Assert.Equal("winter-sale", (string)row.campaign);
        Assert.Equal("buy boots", (string)row.keyword);
        Assert.Equal(14L, (long)row.local_hour);
        Assert.Equal(2L, (long)row.local_day);
        Assert.Equal(45_000L, (long)row.time_on_page);
        Assert.Equal("1920x1080", (string)row.screen_res);
        Assert.Equal("America/New_York", (string)row.browser_tz);
        Assert.Equal(8.0, (double)row.device_memory);
        Assert.Equal(255_000L, (long)row.value);
        Assert.Equal("USD", (string)row.currency);
        Assert.Equal(7922L, (long)row.asn);
        Assert.Equal("clean", (string)row.fraud_status);
        Assert.Equal(server.Clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)row.created_at);
    }

    [Fact]
    public async Task Sites_are_validated()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var bad = (await server.Admin.PostJsonAsync("/api/admin/sites", new
        {
            site_id = "s", allowed_origins = new[] { "https://ok.example", "https://bad.example/path", "ftp://x" }, time_zone = "Mars/Olympus",
            currency = "XXY", conversions = new { call = new { value = -1 } },
        })).Expect(HttpStatusCode.BadRequest).Body.GetProperty("errors");
        foreach (var field in new[] { "allowed_origins[1]", "allowed_origins[2]", "time_zone", "currency", "conversions.call.name", "conversions.call.value" })
            Assert.True(bad.TryGetProperty(field, out _), field);
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        var site = (await server.Admin.GetJsonAsync("/api/admin/sites/site_1")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("Phone call", site.GetProperty("conversions").GetProperty("call").GetProperty("name").GetString());
        Assert.Equal(20.00m, site.GetProperty("conversions").GetProperty("call").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Events_are_refused_for_unknown_sites_foreign_origins_and_bad_fields()
    {
        await using var server = await StartAsync("sqlite");
        var unknown = await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop().With(("site_id", "nope")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        var foreign = await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop(), origin: "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.Status);
        Assert.Equal("application/problem+json", foreign.ContentType);
        var bad = (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop().With(("local_hour", 24), ("local_day", "monday"),
            ("human_score", 101), ("browser_tz", "Nowhere/City"), ("page_url", "javascript:alert(1)"), ("languages", "en"), ("event_type", "a b"))))
            .Expect(HttpStatusCode.BadRequest).Body.GetProperty("errors");
        foreach (var field in new[] { "local_hour", "local_day", "human_score", "browser_tz", "page_url", "languages", "event_type" })
            Assert.True(bad.TryGetProperty(field, out _), field);
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM click_events"));

        // sendBeacon posts text/plain; a server-side sender has no Origin at all.
        var beacon = await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop(), contentType: "text/plain", origin: null);
        Assert.Equal(HttpStatusCode.Created, beacon.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop(), contentType: "application/xml")).Status);
    }

    [Fact]
    public async Task Cors_preflight_is_granted_only_to_origins_a_site_allows()
    {
        await using var server = await StartAsync("sqlite");
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/click-events");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await server.Client.SendAsync(request);
        }
        var allowed = await Preflight("https://www.shop.example");
        Assert.Equal("https://www.shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var refused = await Preflight("https://evil.example");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        var posted = await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop(), origin: "https://www.shop.example");
        Assert.Equal("https://www.shop.example", posted.Message.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_trap_hit_is_a_decisive_bot_trap_row_and_blocks_the_address_for_a_while(string provider)
    {
        await using var server = await StartAsync(provider);
        using var trap = new HttpRequestMessage(HttpMethod.Get, "/api/click-events/trap/site_1/hp-footer-7");
        trap.Headers.Add("X-Forwarded-For", "81.2.69.142");
        trap.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (compatible; ScannerBot/1.0)");
        trap.Headers.Referrer = new Uri("https://shop.example/landing");
        var page = await server.Client.SendAsync(trap);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("noindex", page.Headers.GetValues("X-Robots-Tag").Single());

        var row = Assert.Single(await Sql.QueryAsync(server, "SELECT * FROM click_events"));
        Assert.Equal("bot_trap", (string)row.event_type);
        Assert.Equal("hp-footer-7", (string)row.element_id);
        Assert.Equal("https://shop.example/landing", (string)row.page_url);
        Assert.Equal("fraud", (string)row.fraud_status);
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_fraud_signals WHERE type = 'honeypot_hit' AND entity_type = 'click_event'"));
        var block = Assert.Single(await Sql.QueryAsync(server, "SELECT * FROM blocklist"));
        Assert.Equal("81.2.69.142", (string)block.value);
        Assert.Equal("honeypot", (string)block.source);
        Assert.Equal(server.Clock.GetUtcNow().AddHours(168).ToUnixTimeMilliseconds(), (long)block.expires_at);

        // The same address posting a human-looking event is recorded, flagged and never counted as real.
        server.Clock.Advance(TimeSpan.FromMinutes(3));
        var next = (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop(), ip: "81.2.69.142")).Expect(HttpStatusCode.Created);
        Assert.Equal("fraud", next.FraudStatus());
        Assert.Contains("blocklisted", next.SignalTypes());
        // A second trap hit renews the block rather than adding another entry.
        server.Clock.Advance(TimeSpan.FromHours(1));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/click-events/trap/site_1/hp-footer-7");
        again.Headers.Add("X-Forwarded-For", "81.2.69.142");
        (await server.Client.SendAsync(again)).EnsureSuccessStatusCode();
        var renewed = Assert.Single(await Sql.QueryAsync(server, "SELECT * FROM blocklist"));
        Assert.Equal(server.Clock.GetUtcNow().AddHours(168).ToUnixTimeMilliseconds(), (long)renewed.expires_at);
        Assert.Equal(server.Clock.GetUtcNow().AddHours(168).ToUnixTimeMilliseconds(),
            Assert.Single((await server.Admin.GetJsonAsync("/api/admin/blocklist")).Body.GetProperty("items").EnumerateArray()).GetProperty("expires_at")
                .GetString() is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() : 0);

        using var unknownSite = new HttpRequestMessage(HttpMethod.Get, "/api/click-events/trap/nope/x");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(unknownSite)).StatusCode);
    }

    private static async Task<TestServer> StartAsync(string provider)
    {
        var server = await TestServer.StartAsync(provider);
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        return server;
    }
}
