using System.Net;
using System.Text;
using System.Text.Json;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.ClickEvents;

public sealed class ForensicReportTests
{
    private const string Farm1 = "81.2.69.10", Farm2 = "81.2.69.11", Farm3 = "81.2.69.12";

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Reports_and_Google_Ads_files_tell_humans_from_bots(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        var start = server.Clock.GetUtcNow();

        // Two real customers from Google Ads.
        var human = (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("call", "gclid-human-1"))).Expect(HttpStatusCode.Created);
        Assert.Equal("clean", human.FraudStatus());
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("whatsapp", "gclid-human-2").With(("value", 12.5m)), ip: "24.48.0.1"))
            .Expect(HttpStatusCode.Created);
        // The same visit's second conversion is the same ad click; a form without a mapped value keeps its blank value.
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("form", "gclid-human-2"), ip: "24.48.0.1")).Expect(HttpStatusCode.Created);

        // A spoofed iPhone: Safari on iOS never exposes deviceMemory, and 3 GB is no Chromium value either.
        var iphone = (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("call", "gclid-fake-iphone").With(("device_memory", 3),
            ("screen_res", "390x844"), ("platform", "iPhone"), ("worker", null), ("hardware_concurrency", 4)), ip: "24.48.0.2",
            userAgent: ClickEventFlow.IPhoneSafari)).Expect(HttpStatusCode.Created);
        Assert.Contains("hardware_lie", iphone.SignalTypes());
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        // A desktop claim with two cores and a 0x0 screen.
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("call", "gclid-lowspec").With(("hardware_concurrency", 2), ("screen_res", "0x0"),
            ("worker", null)), ip: "24.48.0.3")).Expect(HttpStatusCode.Created);

        // Honeypot scanners from one /24, one with two user agents.
        foreach (var (ip, agent) in new[] { (Farm1, "ScanBot/1.0"), (Farm1, "ScanBot/2.0"), (Farm2, "ScanBot/1.0"), (Farm3, "curl/8.0") })
        {
            server.Clock.Advance(TimeSpan.FromMinutes(1));
            using var trap = new HttpRequestMessage(HttpMethod.Get, "/api/click-events/trap/site_1/hp-1");
            trap.Headers.Add("X-Forwarded-For", ip);
            trap.Headers.TryAddWithoutValidation("User-Agent", agent);
            (await server.Client.SendAsync(trap)).EnsureSuccessStatusCode();
        }
        // Farm1 also clicked an ad and converted: it gets no credit.
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("call", "gclid-farm"), ip: Farm1)).Expect(HttpStatusCode.Created);

        var range = $"from={Uri.EscapeDataString(start.AddDays(-1).ToString("o"))}&to={Uri.EscapeDataString(start.AddDays(1).ToString("o"))}";

        // Report A names each contradiction.
        var lowSpec = (await server.Admin.GetJsonAsync($"/api/admin/click-events/reports/low-spec?{range}")).Expect(HttpStatusCode.OK).Body.GetProperty("rows");
        Assert.Equal(2, lowSpec.GetArrayLength());
        var contradictions = lowSpec.EnumerateArray().ToDictionary(r => r.GetProperty("ip").GetString()!,
            r => r.GetProperty("contradictions").EnumerateArray().Select(c => c.GetString()!).ToHashSet());
        Assert.Equal(["ios_reports_device_memory", "device_memory_not_power_of_two"], contradictions["24.48.0.2"]);
        Assert.Equal(["impossible_screen", "low_core_desktop"], contradictions["24.48.0.3"]);

        // Report B groups trap hits by address.
        var honeypot = (await server.Admin.GetJsonAsync($"/api/admin/click-events/reports/honeypot?{range}")).Expect(HttpStatusCode.OK).Body.GetProperty("rows");
        Assert.Equal(3, honeypot.GetArrayLength());
        var top = honeypot[0];
        Assert.Equal(Farm1, top.GetProperty("ip").GetString());
        Assert.Equal(2, top.GetProperty("hits").GetInt64());
        Assert.Equal(["ScanBot/1.0", "ScanBot/2.0"], top.GetProperty("user_agents").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.True(top.GetProperty("blocked").GetBoolean());
        Assert.NotEqual(top.GetProperty("first_seen").GetString(), top.GetProperty("last_seen").GetString());
        var csv = await server.Admin.GetStringAsync($"/api/admin/click-events/reports/honeypot?{range}&format=csv");
        Assert.StartsWith("ip,hits,first_seen,last_seen,user_agents,asn,as_org,country_code,blocked\r\n81.2.69.10,2,", csv);

        // Heatmap and ROI.
        var heatmap = (await server.Admin.GetJsonAsync($"/api/admin/click-events/reports/heatmap?{range}")).Expect(HttpStatusCode.OK).Body.GetProperty("rows");
        var tuesday2pm = heatmap.EnumerateArray().Single(c => c.GetProperty("local_day").GetInt64() == 2 && c.GetProperty("local_hour").GetInt64() == 14);
        Assert.Equal(6, tuesday2pm.GetProperty("events").GetInt64());
        Assert.Equal(3, tuesday2pm.GetProperty("flagged").GetInt64());

        var day = start.ToString("yyyy-MM-dd");
        using var costs = new StringContent($"date,campaign,cost,currency\n{day},winter-sale,30.00,USD\n{day},bad,-1,USD\nnot-a-date,x,1,USD\n", Encoding.UTF8, "text/csv");
        var imported = JsonDocument.Parse(await (await server.Admin.PostAsync("/api/admin/campaign-costs", costs)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, imported.GetProperty("accepted").GetInt32());
        Assert.Equal(2, imported.GetProperty("rejected").GetInt32());
        var roi = (await server.Admin.GetJsonAsync($"/api/admin/click-events/reports/roi?{range}")).Expect(HttpStatusCode.OK).Body;
        var winter = roi.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "winter-sale");
        Assert.Equal(6, winter.GetProperty("events").GetInt64());
        Assert.Equal(3, winter.GetProperty("real_conversions").GetInt64());
        Assert.Equal(50.00m, winter.GetProperty("flagged_percent").GetDecimal());
        Assert.Equal(30.00m, winter.GetProperty("cost").GetDecimal());
        Assert.Equal(10.00m, winter.GetProperty("cost_per_real_conversion").GetDecimal());

        // The offline conversion file: Google's template, real conversions only, in the site's time zone.
        var file = await server.Admin.GetStringAsync("/api/admin/google-ads/offline-conversions?site_id=site_1&" + range);
        var lines = file.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Parameters:TimeZone=America/Montevideo", lines[0]);
        Assert.Equal("Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency", lines[1]);
        var montevideo = TimeZoneInfo.FindSystemTimeZoneById("America/Montevideo");
        Assert.Equal($"gclid-human-1,Phone call,{TimeZoneInfo.ConvertTime(start, montevideo):yyyy-MM-dd HH:mm:ss},20.00,USD", lines[2]);
        Assert.Equal("gclid-human-2,WhatsApp chat", string.Join(',', lines[3].Split(',')[..2]));
        Assert.EndsWith(",12.50,USD", lines[3]);
        Assert.StartsWith("gclid-human-2,Lead form,", lines[4]);
        Assert.EndsWith(",,USD", lines[4]);
        Assert.Equal(5, lines.Length);
        Assert.DoesNotContain("gclid-farm", file);
        Assert.DoesNotContain("gclid-fake-iphone", file);

        // Later the second customer's address follows the honeypot: its exported conversions are retracted, once.
        server.Clock.Advance(TimeSpan.FromHours(1));
        using (var trap = new HttpRequestMessage(HttpMethod.Get, "/api/click-events/trap/site_1/hp-2"))
        {
            trap.Headers.Add("X-Forwarded-For", "24.48.0.1");
            (await server.Client.SendAsync(trap)).EnsureSuccessStatusCode();
        }
        var retractions = (await server.Admin.GetStringAsync("/api/admin/google-ads/retractions?site_id=site_1")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Parameters:TimeZone=America/Montevideo", retractions[0]);
        Assert.Equal("Google Click ID,Conversion Name,Conversion Time,Adjustment Time,Adjustment Type,Adjusted Value,Adjusted Value Currency", retractions[1]);
        Assert.Equal(4, retractions.Length);
        Assert.All(retractions[2..], r => Assert.Contains("gclid-human-2,", r));
        Assert.All(retractions[2..], r => Assert.EndsWith(",RETRACT,,", r));
        Assert.Equal(2, (await server.Admin.GetStringAsync("/api/admin/google-ads/retractions?site_id=site_1")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("gclid-human-2", await server.Admin.GetStringAsync("/api/admin/google-ads/offline-conversions?site_id=site_1&" + range));

        // Invalid-click evidence: flagged paid clicks with reason codes and evidence.
        var invalid = (await server.Admin.GetJsonAsync("/api/admin/google-ads/invalid-clicks?site_id=site_1")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("1", invalid.GetProperty("reason_codes_version").GetString());
        var clicks = invalid.GetProperty("clicks").EnumerateArray().ToList();
        Assert.Equal(["gclid-fake-iphone", "gclid-lowspec", "gclid-farm"], clicks.Select(c => c.GetProperty("click_id").GetString()!).ToArray());
        var farm = clicks[2];
        Assert.Equal(Farm1, farm.GetProperty("ip").GetString());
        Assert.Equal("OT1-BLOCKLIST", farm.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.Equal("honeypot", farm.GetProperty("reasons")[0].GetProperty("evidence").GetProperty("source").GetString());
        var invalidCsv = await server.Admin.GetStringAsync("/api/admin/google-ads/invalid-clicks?site_id=site_1&format=csv");
        Assert.Contains("OT1-HW-LIE", invalidCsv);

        // IP exclusions: the /24 where three addresses offend becomes one range, ranked first.
        var exclusions = (await server.Admin.GetStringAsync("/api/admin/google-ads/ip-exclusions")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("81.2.69.*", exclusions[0]);
        // 24.48.0.1 (the honeypot follower), .2 (spoofed iPhone) and .3 (low spec) offend too: their /24 goes as one range.
        Assert.Equal(["81.2.69.*", "24.48.0.*"], exclusions);
        var ranked = (await server.Admin.GetJsonAsync("/api/admin/google-ads/ip-exclusions?format=json&days=1")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(3, ranked.GetProperty("entries")[0].GetProperty("addresses").GetInt32());
        Assert.Equal(4, ranked.GetProperty("entries")[0].GetProperty("honeypot_hits").GetInt64());

        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetJsonAsync("/api/admin/google-ads/offline-conversions")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetJsonAsync("/api/admin/google-ads/offline-conversions?site_id=nope")).Status);
    }

    [Fact]
    public async Task Click_ids_first_seen_before_the_conversion_window_are_left_out()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        var start = server.Clock.GetUtcNow();
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("form", "gclid-old"))).Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromDays(91));
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("call", "gclid-old"))).Expect(HttpStatusCode.Created);
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop("call", "gclid-new"), ip: "24.48.0.9")).Expect(HttpStatusCode.Created);
        var range = $"from={Uri.EscapeDataString(start.AddDays(-1).ToString("o"))}&to={Uri.EscapeDataString(start.AddDays(100).ToString("o"))}";
        var file = await server.Admin.GetStringAsync("/api/admin/google-ads/offline-conversions?site_id=site_1&tz=UTC&" + range);
        Assert.StartsWith("Parameters:TimeZone=UTC\r\n", file);
        Assert.Contains("gclid-new,Phone call,", file);
        Assert.DoesNotContain("gclid-old", file);
    }

    [Fact]
    public async Task Click_event_lines_import_with_their_own_time_and_address()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        var line = JsonSerializer.Serialize(ClickEventFlow.HumanDesktop().With(("kind", "click_event"), ("occurred_at", "2026-10-01T12:00:00Z"),
            ("ip", "73.162.10.20"), ("user_agent", Flow.DesktopChrome), ("accept_language", "en-US")));
        using var content = new StringContent(line + "\n{\"kind\":\"click_event\",\"site_id\":\"nope\",\"event_type\":\"call\"}\n", Encoding.UTF8, "application/x-ndjson");
        var report = JsonDocument.Parse(await (await server.Admin.PostAsync("/api/admin/import", content)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, report.GetProperty("accepted").GetInt32());
        Assert.Equal(1, report.GetProperty("rejected").GetInt32());
        var row = Assert.Single(await Sql.QueryAsync(server, "SELECT created_at, ip, fraud_status FROM click_events"));
        Assert.Equal(DateTimeOffset.Parse("2026-10-01T12:00:00Z").ToUnixTimeMilliseconds(), (long)row.created_at);
        Assert.Equal("clean", (string)row.fraud_status);
        var list = (await server.Admin.GetJsonAsync("/api/admin/click-events?site_id=site_1&from=2026-09-01&to=2026-11-01")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("73.162.10.20", list.GetProperty("items")[0].GetProperty("ip").GetString());
    }
}
