using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.UserAgents;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Enrichment;

/// <summary>Real user agents through the installed uap-core, isbot and crawler-user-agents data.</summary>
public sealed class UserAgentTests
{
    private static readonly UserAgentParser Parser = new(new Datasets(Options.Create(new EnrichmentOptions()), NullLogger<Datasets>.Instance));

    public static TheoryData<string, string, string, string, string?> Agents => new()
    {
        // user agent, browser, browser major version, device type, operating system
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "131", "desktop", "Windows" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "131", "desktop", "MacOS" },
        { "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", "Chrome", "130", "desktop", "Linux" },
        { "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "131", "desktop", "Chrome OS" },
        { "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome Mobile", "131", "mobile", "Android" },
        { "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36", "Chrome Mobile", "120", "mobile", "Android" },
        { "Mozilla/5.0 (Linux; Android 12; 2201117TG) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "Chrome Mobile", "120", "mobile", "Android" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", "Chrome Mobile iOS", "120", "mobile", "iOS" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1", "Mobile Safari", "17", "mobile", "iOS" },
        { "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1", "Mobile Safari", "16", "tablet", "iOS" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", "Safari", "17", "desktop", "MacOS" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "133", "desktop", "Windows" },
        { "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox", "128", "desktop", "Ubuntu" },
        { "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox Mobile", "133", "mobile", "Android" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15", "Firefox iOS", "121", "mobile", "iOS" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70", "Edge", "131", "desktop", "Windows" },
        { "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.2903.87", "Edge Mobile", "131", "mobile", "Android" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera", "115", "desktop", "Windows" },
        { "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet", "25", "mobile", "Android" },
        { "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36", "Samsung Internet", "23", "tablet", "Android" },
        { "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36", "Chrome Mobile WebView", "119", "mobile", "Android" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/442.0.0.35.107;FBBV/551204463;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1.2;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]", "Facebook", "442", "mobile", "iOS" },
        { "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Instagram 309.1.0.41.113 Android (33/13; 450dpi; 1080x2192; samsung; SM-A536B; a53x; s5e8825; en_US; 541635890)", "Instagram", "309", "mobile", "Android" },
        { "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36", "Samsung Internet", "4", "tv", "Tizen" },
        { "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15", "Safari", "13", "console", null },
        { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "2", "bot", null },
        { "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "2", "bot", "Android" },
        { "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot", "2", "bot", null },
        { "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "FacebookBot", "1", "bot", null },
        { "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36", "HeadlessChrome", "131", "bot", "Linux" },
        { "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1", "PhantomJS", "2", "bot", "Linux" },
        { "curl/8.5.0", "curl", "8", "bot", null },
        { "python-requests/2.31.0", "Python Requests", "2", "bot", null },
        { "Wget/1.21.4", "Wget", "1", "bot", null },
    };

    [Theory]
    [MemberData(nameof(Agents))]
    public void Parses_family_version_and_device_type(string userAgent, string browser, string major, string deviceType, string? os)
    {
        var parsed = Parser.Parse(userAgent);
        Assert.Equal(browser, parsed.Browser);
        Assert.True(parsed.BrowserVersion == major || parsed.BrowserVersion?.StartsWith(major + ".", StringComparison.Ordinal) == true,
            $"version {parsed.BrowserVersion} is not {major}.x");
        Assert.Equal(deviceType, parsed.DeviceType);
        Assert.Equal(deviceType == "bot", parsed.IsBot);
        if (os is not null) Assert.Equal(os, parsed.Os);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36")]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.31.0")]
    [InlineData("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Selenium/4.1")]
    public void Automation_is_marked(string userAgent) => Assert.True(Parser.Parse(userAgent).IsAutomation);

    [Fact]
    public void Device_brand_and_model_come_from_the_rules()
    {
        var samsung = Parser.Parse("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36");
        Assert.Equal("Samsung", samsung.DeviceBrand);
        Assert.Equal("SM-S918B", samsung.DeviceModel);
        var iphone = Parser.Parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1");
        Assert.Equal("Apple", iphone.DeviceBrand);
        Assert.Equal("iPhone", iphone.DeviceModel);
        Assert.Equal("17.1.2", iphone.OsVersion);
    }

    [Fact]
    public void Client_hints_correct_what_chromium_freezes()
    {
        const string frozen = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        var hints = new ClientHints("\"Google Chrome\";v=\"131.0.6778.135\", \"Chromium\";v=\"131.0.6778.135\", \"Not_A Brand\";v=\"24.0.0.0\"",
            true, "Android", "14.0.0", "Pixel 8");
        var parsed = Parser.Parse(frozen, hints);
        Assert.Equal("Pixel 8", parsed.DeviceModel);
        Assert.Equal("14", parsed.OsVersion);
        Assert.Equal("131.0.6778.135", parsed.BrowserVersion);
        Assert.Equal("mobile", parsed.DeviceType);

        var windows11 = Parser.Parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            new ClientHints(null, false, "Windows", "15.0.0", null));
        Assert.Equal("11", windows11.OsVersion);
    }

    [Fact]
    public void A_pathological_user_agent_is_parsed_in_bounded_time()
    {
        var hostile = "Mozilla/5.0 (" + new string('(', 20_000) + string.Concat(Enumerable.Repeat("a;b ", 5_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Parser.Parse(hostile);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_pattern_that_runs_out_of_time_decides_nothing()
    {
        // A pause of the process (a garbage collection, a busy CPU) can stop any match: that is no evidence of a bot.
        var slow = new System.Text.RegularExpressions.Regex("^(a+)+$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(1));
        var bots = BotPatterns.From(slow, new System.Text.RegularExpressions.Regex("bot", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)));
        Assert.Null(bots.IsBot(new string('a', 40) + "!"));
        Assert.True(bots.IsBot(new string('a', 40) + "! bot"));
        Assert.False(bots.IsBot("Mozilla/5.0"));
    }

    [Fact]
    public void A_user_agent_whose_bot_check_runs_out_of_time_is_not_called_a_bot()
    {
        // Bot patterns whose one expression always times out (catastrophic backtracking), as a pause of the process can
        // make any expression do: the parser must not turn "undecided" into "bot".
        using var directory = new TempDirectory();
        var isbot = Directory.CreateDirectory(Path.Combine(directory.Path, "node_modules", "isbot")).FullName;
        File.WriteAllText(Path.Combine(isbot, "index.js"), "var fullPattern = \"^(a+)+$\";\n");
        var crawlers = Directory.CreateDirectory(Path.Combine(directory.Path, "node_modules", "crawler-user-agents")).FullName;
        File.WriteAllText(Path.Combine(crawlers, "crawler-user-agents.json"), "[]");
        var parser = new UserAgentParser(new Datasets(Options.Create(new EnrichmentOptions { DatasetsDirectory = directory.Path }),
            NullLogger<Datasets>.Instance));

        var slow = new string('a', 40) + "!";
        for (var i = 0; i < 4; i++) Assert.False(parser.Parse(slow).IsBot);
        Assert.True(parser.Parse(new string('a', 40)).IsBot);
    }

    [Fact]
    public async Task A_session_stores_what_the_headers_say_not_what_the_body_claims()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/offerwall/session/create")
        {
            Content = new StringContent("""{"user_id":"u_1","publisher_id":"pub_1","placement_id":"plc_1","device":{"type":"desktop","os":"Windows","browser":"Edge"}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36");
        request.Headers.Add("Sec-CH-UA-Mobile", "?1");
        request.Headers.Add("Sec-CH-UA-Platform", "\"Android\"");
        request.Headers.Add("Sec-CH-UA-Model", "\"SM-S918B\"");
        var device = (await HttpJson.SendAsync(server.Client, request)).Expect(HttpStatusCode.Created).Body.GetProperty("device");
        Assert.Equal("mobile", device.GetProperty("type").GetString());
        Assert.Equal("Android", device.GetProperty("os").GetString());
        Assert.Equal("Chrome Mobile", device.GetProperty("browser").GetString());
        Assert.Equal("SM-S918B", device.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.String, device.GetProperty("browser_version").ValueKind);
    }
}
