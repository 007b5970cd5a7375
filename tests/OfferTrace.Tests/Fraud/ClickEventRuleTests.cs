using Microsoft.Extensions.Options;
using OfferTrace.Fraud;
using OfferTrace.Fraud.History;
using OfferTrace.Fraud.Rules;

namespace OfferTrace.Tests.Fraud;

public sealed class ClickEventRuleTests
{
    private static readonly FraudOptions Defaults = new();
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly NetworkFacts Home = new(false, false, false, false, false, 7922, "Comcast", "US", "America/New_York", ["en"]) { IsPublicIp = true };

    [Fact]
    public void Time_on_page_is_short_below_two_seconds_only()
    {
        Assert.Equal("short_time_on_page", TimeOnPageRule.Check(1_999, 2_000)!.Type);
        Assert.Null(TimeOnPageRule.Check(2_000, 2_000));
        Assert.Null(TimeOnPageRule.Check(2_001, 2_000));
        Assert.Null(TimeOnPageRule.Check(null, 2_000));
        Assert.True(TimeOnPageRule.Weight < Defaults.SuspiciousThreshold);
    }

    [Fact]
    public void Hardware_lies_name_their_contradiction()
    {
        HardwareClaims Claim(string os, string browser, string type, double? memory, string screen = "1920x1080") => new(os, browser, type, memory, screen);
        Assert.Equal(["ios_reports_device_memory"], HardwareLieRule.Contradictions(Claim("iOS", "Mobile Safari", "mobile", 4, "390x844")));
        Assert.Equal(["ios_reports_device_memory", "device_memory_not_power_of_two"],
            HardwareLieRule.Contradictions(Claim("iOS", "Mobile Safari", "mobile", 1.5, "390x844")));
        Assert.Empty(HardwareLieRule.Contradictions(Claim("iOS", "Mobile Safari", "mobile", null, "390x844")));
        Assert.Equal(["engine_without_device_memory"], HardwareLieRule.Contradictions(Claim("Windows", "Firefox", "desktop", 8)));
        Assert.Equal(["engine_without_device_memory"], HardwareLieRule.Contradictions(Claim("MacOS", "Safari", "desktop", 8)));
        foreach (var real in new[] { 0.25, 0.5, 1, 2, 4, 8, 16, 32 }) Assert.Empty(HardwareLieRule.Contradictions(Claim("Windows", "Chrome", "desktop", real)));
        Assert.Equal(["device_memory_not_power_of_two"], HardwareLieRule.Contradictions(Claim("Windows", "Chrome", "desktop", 6)));
        Assert.Equal(["phone_with_desktop_screen"], HardwareLieRule.Contradictions(Claim("Android", "Chrome Mobile", "mobile", 4, "1920x1080")));
        Assert.Empty(HardwareLieRule.Contradictions(Claim("Android", "Chrome Mobile", "mobile", 4, "412x915")));
        Assert.Empty(HardwareLieRule.Contradictions(Claim("Android", "Chrome", "tablet", 4, "800x1280")));
        Assert.True(HardwareLieRule.Weight >= Defaults.SuspiciousThreshold);
    }

    [Fact]
    public void Browser_lies_fire_on_each_contradiction_and_not_on_a_consistent_browser()
    {
        var honest = new BrowserProbe("Win32", ["en-US", "en"], "ANGLE (NVIDIA GeForce RTX 3060)", "1920x1040", [],
            new WorkerProbe("Win32", 8, 8, ["en-US", "en"], "ANGLE (NVIDIA GeForce RTX 3060)"));
        Assert.Null(BrowserLieRule.Check(honest, 8, 8, "en-US,en;q=0.9", "Windows"));
        Assert.Null(BrowserLieRule.Check(BrowserProbe.None, 8, 8, "en-US", "Windows"));

        string[] Lies(BrowserProbe p, int cores = 8, string acceptLanguage = "en-US", string os = "Windows") =>
            BrowserLieRule.Check(p, cores, 8, acceptLanguage, os)?.Details.Keys.ToArray() ?? [];
        Assert.Equal(["worker_mismatch"], Lies(honest, cores: 4));
        Assert.Equal(["worker_mismatch"], Lies(honest with { Worker = honest.Worker! with { Platform = "Linux x86_64" } }));
        Assert.Equal(["automation_globals"], Lies(honest with { AutomationGlobals = ["__nightmare"] }));
        Assert.Equal(["software_renderer"], Lies(honest with
        {
            WebglRenderer = "Google SwiftShader", Worker = honest.Worker! with { WebglRenderer = "Google SwiftShader" },
        }));
        Assert.Equal(["zero_outer_window"], Lies(honest with { OuterWindow = "0x0" }));
        Assert.Equal(["worker_mismatch", "empty_languages"], Lies(honest with { Languages = [] }));
        Assert.Equal(["accept_language_mismatch"], Lies(honest, acceptLanguage: "zh-CN,zh;q=0.9"));
        Assert.Equal(["platform_mismatch"], Lies(honest, os: "MacOS"));
        // An iPad asking for the desktop site says MacIntel on iOS: no lie.
        Assert.Null(BrowserLieRule.Check(new BrowserProbe("MacIntel", ["en-US"], null, null, [], null), 8, null, "en-US", "iOS"));
    }

    [Fact]
    public void Ad_click_repeat_tiers_fire_just_past_each_limit()
    {
        var history = new AdClickHistory(2 * 3_600_000L, 11);
        var t = Noon.ToUnixTimeMilliseconds();
        Assert.Null(AdClickRepeatRule.Check(history.Record("1.1.1.1", "g1", "a", t), Defaults));
        // The same click id again (a second conversion of one visit) is not a new ad click.
        Assert.Null(AdClickRepeatRule.Check(history.Record("1.1.1.1", "g1", "a", t + 60_000), Defaults));
        var second = AdClickRepeatRule.Check(history.Record("1.1.1.1", "g2", "a", t + 120_000), Defaults)!;
        Assert.Equal(["more than 1 per campaign per day"], (List<string>)second.Details["tiers"]!);

        var across = new AdClickHistory(2 * 3_600_000L, 11);
        for (var i = 0; i < 3; i++) Assert.Null(AdClickRepeatRule.Check(across.Record("2.2.2.2", $"g{i}", $"c{i}", t + i * 1000), Defaults));
        Assert.Equal(["more than 3 across campaigns in 2 h"], (List<string>)AdClickRepeatRule.Check(across.Record("2.2.2.2", "g3", "c3", t + 3000), Defaults)!.Details["tiers"]!);

        var spread = new AdClickHistory(2 * 3_600_000L, 11);
        for (var i = 0; i < 10; i++) Assert.Null(AdClickRepeatRule.Check(spread.Record("3.3.3.3", $"g{i}", $"c{i}", t + i * 3 * 3_600_000L / 2), Defaults));
        Assert.Equal(["more than 10 in 24 h"], (List<string>)AdClickRepeatRule.Check(spread.Record("3.3.3.3", "g10", "c10", t + 10 * 3 * 3_600_000L / 2 - 1), Defaults)!.Details["tiers"]!);
        // A day later the window is empty again.
        Assert.Null(AdClickRepeatRule.Check(spread.Record("3.3.3.3", "g11", "c0", t + 48 * 3_600_000L), Defaults));
    }

    [Fact]
    public void Honeypot_is_decisive_and_honest_vpn_users_stay_below_suspicious()
    {
        var engine = new FraudEngine(Options.Create(Defaults));
        var visitor = new SessionFacts("Mozilla/5.0", false, false, false, false) { Network = Home };
        ClickEventFacts Event(SessionFacts v, bool trap = false, long? timeOnPage = 30_000) =>
            new(v, trap, "hp", timeOnPage, 70, new HardwareClaims("Windows", "Chrome", "desktop", 8, "1920x1080"), BrowserProbe.None, "en-US", null, null);

        Assert.Equal(FraudStatus.Clean, engine.JudgeClickEvent(Event(visitor), Noon).Status);
        var trap = engine.JudgeClickEvent(Event(visitor, trap: true), Noon);
        Assert.Equal((100, FraudStatus.Fraud), (trap.Score, trap.Status));

        // A German on a Dutch VPN exit: vpn, VPN-heavy country, time zone and language all fire, together capped below suspicious.
        var vpn = visitor with
        {
            Network = Home with { IsVpn = true, IsVpnCountry = true, CountryCode = "NL", IpTimezone = "Europe/Amsterdam", CountryLanguages = ["nl"] },
            Claims = new DeviceClaims("desktop", "America/Sao_Paulo", "1920x1080", 8, "pt-BR"),
        };
        var verdict = engine.JudgeClickEvent(Event(vpn), Noon);
        Assert.Equal(["vpn", "vpn_country", "timezone_mismatch", "language_country_mismatch"], verdict.Signals.Select(s => s.Type).ToArray());
        Assert.Equal((Defaults.LocationSignalsCap, FraudStatus.Clean), (verdict.Score, verdict.Status));
        // With one more weak signal the evidence adds up.
        Assert.Equal(FraudStatus.Suspicious, engine.JudgeClickEvent(Event(vpn, timeOnPage: 900), Noon).Status);
    }
}
