using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OfferTrace.Fraud;
using OfferTrace.Fraud.Rules;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Fraud;

public sealed class NetworkAndDeviceRuleTests
{
    private static readonly DateTimeOffset Winter = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly NetworkFacts Home = new(false, false, false, false, false, 7922, "Comcast", "US", "America/New_York", ["en"]);
    private static readonly FraudEngine Engine = new(Options.Create(new FraudOptions()));

    [Fact]
    public void Network_rules_fire_only_on_their_flag()
    {
        Assert.Null(DatacenterIpRule.Check(Home));
        Assert.Null(TorExitRule.Check(Home));
        Assert.Null(VpnRule.Check(Home));
        Assert.Null(ProxyRule.Check(Home));
        Assert.Null(VpnCountryRule.Check(Home));
        Assert.Equal("datacenter_ip", DatacenterIpRule.Check(Home with { IsDatacenter = true })!.Type);
        Assert.Equal("tor_exit", TorExitRule.Check(Home with { IsTor = true })!.Type);
        Assert.Equal("vpn", VpnRule.Check(Home with { IsVpn = true })!.Type);
        Assert.Equal("proxy", ProxyRule.Check(Home with { IsProxy = true })!.Type);
        Assert.Equal("vpn_country", VpnCountryRule.Check(Home with { IsVpnCountry = true, CountryCode = "NL" })!.Type);
    }

    [Theory]
    [InlineData("America/New_York", false)]
    [InlineData("America/Toronto", false)]   // another zone, same clock
    [InlineData("America/Chicago", true)]    // one hour off
    [InlineData("Asia/Tokyo", true)]
    [InlineData("Not/AZone", false)]         // unknown: no evidence either way
    public void Timezone_mismatch_compares_clocks_at_the_time_of_the_event(string browserZone, bool fires)
    {
        var signal = TimezoneMismatchRule.Check(Home, DeviceClaims.None with { Timezone = browserZone }, Winter);
        Assert.Equal(fires, signal is not null);
    }

    [Fact]
    public void Europe_keeps_summer_time_apart_from_london_only_by_an_hour()
    {
        var london = Home with { IpTimezone = "Europe/London" };
        var july = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Null(TimezoneMismatchRule.Check(london, DeviceClaims.None with { Timezone = "Europe/Dublin" }, july));
        Assert.Equal(60, TimezoneMismatchRule.Check(london, DeviceClaims.None with { Timezone = "Europe/Paris" }, july)!.Details["difference_minutes"]);
    }

    [Theory]
    [InlineData("en-US", false)]
    [InlineData("en-GB", false)]
    [InlineData("es-US", true)]
    [InlineData("fr-FR", true)]
    [InlineData(null, false)]
    public void Language_must_be_one_of_the_ip_country(string? language, bool fires)
    {
        var us = Home with { CountryLanguages = ["en"] };
        Assert.Equal(fires, LanguageCountryMismatchRule.Check(us, DeviceClaims.None with { Language = language }) is not null);
        Assert.Null(LanguageCountryMismatchRule.Check(Home with { CountryCode = "ES", CountryLanguages = ["es", "eu", "ca", "gl", "oc"] },
            DeviceClaims.None with { Language = "es-ES" }));
    }

    [Theory]
    [InlineData("1920x1080", false)]
    [InlineData("390x844", false)]
    [InlineData("0x0", true)]
    [InlineData("1920x0", true)]
    [InlineData("20000x1080", true)]
    [InlineData("garbage", true)]
    [InlineData(null, false)]
    public void Impossible_screens(string? screen, bool fires) =>
        Assert.Equal(fires, ImpossibleScreenRule.Check(DeviceClaims.None with { ScreenResolution = screen }) is not null);

    [Theory]
    [InlineData("desktop", 2, true)]
    [InlineData("desktop", 1, true)]
    [InlineData("desktop", 3, false)]
    [InlineData("desktop", 8, false)]
    [InlineData("mobile", 2, false)]
    [InlineData("desktop", null, false)]
    public void One_or_two_cores_on_a_desktop(string deviceType, int? cores, bool fires) =>
        Assert.Equal(fires, LowCoreDesktopRule.Check(DeviceClaims.None with { DeviceType = deviceType, HardwareConcurrency = cores }) is not null);

    [Fact]
    public void Weak_signals_stay_clean_alone_and_add_up_together()
    {
        var facts = new SessionFacts("ua", false, false, false, false);
        Assert.Equal(FraudStatus.Clean, Engine.JudgeSession(facts with { Network = Home with { IsVpn = true } }, Winter).Status);
        Assert.Equal(FraudStatus.Suspicious, Engine.JudgeSession(facts with { Network = Home with { IsDatacenter = true } }, Winter).Status);
        Assert.Equal(FraudStatus.Suspicious, Engine.JudgeSession(facts with { Network = Home with { IsTor = true } }, Winter).Status);
        var vpnAbroad = Engine.JudgeSession(facts with
        {
            Network = Home with { IsVpn = true, IsVpnCountry = true },
            Claims = DeviceClaims.None with { Timezone = "Asia/Tokyo" },
        }, Winter);
        // VPN, VPN-heavy country and time-zone mismatch all say "not where the address is": together capped below suspicious,
        // because honest VPN users show all three; any further signal tips it.
        Assert.Equal(new FraudOptions().LocationSignalsCap, vpnAbroad.Score);
        Assert.Equal(FraudStatus.Clean, vpnAbroad.Status);
        Assert.Equal(["vpn", "vpn_country", "timezone_mismatch"], vpnAbroad.Signals.Select(s => s.Type));
        var vpnAbroadOnShared = Engine.JudgeSession(facts with
        {
            Network = Home with { IsVpn = true, IsVpnCountry = true },
            Claims = DeviceClaims.None with { Timezone = "Asia/Tokyo" },
            Device = new OfferTrace.Fraud.History.DeviceFacts(1, 6),
        }, Winter);
        Assert.Equal(FraudStatus.Suspicious, vpnAbroadOnShared.Status);
    }

    [Fact]
    public void Weights_are_configuration()
    {
        var facts = new SessionFacts("ua", false, false, false, false);
        var strict = new FraudEngine(Options.Create(new FraudOptions { Weights = new() { ["vpn"] = 40, ["datacenter_ip"] = 10 } }));
        var vpn = strict.JudgeSession(facts with { Network = Home with { IsVpn = true } }, Winter);
        Assert.Equal(FraudStatus.Suspicious, vpn.Status);
        Assert.Equal(Severity.High, vpn.Signals[0].Severity);
        var cloud = strict.JudgeSession(facts with { Network = Home with { IsDatacenter = true } }, Winter);
        Assert.Equal(FraudStatus.Clean, cloud.Status);
        Assert.Equal((10, Severity.Low), (cloud.Signals[0].Weight, cloud.Signals[0].Severity));
    }

    [Fact]
    public void An_unknown_or_out_of_range_weight_stops_the_server_naming_the_key()
    {
        foreach (var (arg, key) in new[] { ("--Fraud:Weights:vpnn=10", "Fraud:Weights:vpnn"), ("--Fraud:Weights:vpn=101", "Fraud:Weights:vpn") })
        {
            var e = Assert.ThrowsAny<Exception>(() =>
            {
                var app = OfferTraceHost.Build(["--urls=http://127.0.0.1:0", arg]);
                app.StartAsync().GetAwaiter().GetResult();
            });
            Assert.Contains(key, e.Message);
        }
    }

    [Fact]
    public async Task A_session_from_a_datacenter_is_suspicious_and_says_why_a_home_one_is_clean()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);

        var cloud = await SessionAsync(server, "8.8.8.8", """{"timezone":"America/Los_Angeles","hardware_concurrency":8,"screen_resolution":"1920x1080"}""");
        Assert.Equal("suspicious", cloud.GetProperty("status").GetString());
        Assert.Contains("datacenter_ip", cloud.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("type").GetString()));

        var home = await SessionAsync(server, "73.162.10.20", """{"timezone":"America/Los_Angeles","hardware_concurrency":8,"screen_resolution":"1920x1080"}""");
        Assert.Equal("clean", home.GetProperty("status").GetString());
        Assert.Empty(home.GetProperty("signals").EnumerateArray());

        var farAway = await SessionAsync(server, "73.162.10.20", """{"timezone":"Asia/Tokyo","hardware_concurrency":8,"screen_resolution":"1920x1080"}""");
        Assert.Equal("clean", farAway.GetProperty("status").GetString());
        Assert.Equal("timezone_mismatch", farAway.GetProperty("signals")[0].GetProperty("type").GetString());

        var headless = await SessionAsync(server, "73.162.10.20", """{"timezone":"America/Los_Angeles","hardware_concurrency":2,"screen_resolution":"0x0"}""");
        Assert.Equal("fraud", headless.GetProperty("status").GetString());
        Assert.Equal(["impossible_screen", "low_core_desktop"], headless.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
    }

    private static async Task<JsonElement> SessionAsync(TestServer server, string ip, string device) =>
        (await Flow.SessionFromAsync(server, ip, extraJson: $",\"device\":{device}", userAgent: Flow.DesktopChrome, acceptLanguage: "en-US,en;q=0.9"))
        .GetProperty("fraud");
}
