using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OfferTrace.Tests.ClickEvents;

/// <summary>
/// A labelled corpus of humans and bots of many kinds, generated here and replayed through the import endpoint:
/// the engine must catch at least 95 % of the bots and flag at most 2 % of the humans.
/// </summary>
public sealed class LabelledCorpusTests(ITestOutputHelper output)
{
    private const int PerKind = 30;
    private const string VpnExitRange = "185.159.157";
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string MacSafari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    private const string Headless = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

    private sealed record Visitor(string Kind, bool IsBot, string Ip, List<string> Lines);

    [Fact]
    public async Task Bots_are_caught_and_humans_are_left_alone()
    {
        using var reputation = new TempDirectory();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "datasets", "reputation")))
            File.Copy(file, Path.Combine(reputation.Path, Path.GetFileName(file)));
        await File.WriteAllTextAsync(Path.Combine(reputation.Path, "vpn-corpus.txt"), VpnExitRange + ".0/24\n");
        await using var server = await TestServer.StartAsync("sqlite", $"--Enrichment:ReputationDirectory={reputation.Path}");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        var ips = server.Services.GetRequiredService<IpEnricher>();
        var visitors = Generate(server.Clock.GetUtcNow().AddDays(-2), ip => ips.Enrich(IPAddress.Parse(ip)).Geo.Timezone);

        var ndjson = new StringBuilder();
        foreach (var line in visitors.SelectMany(v => v.Lines)) ndjson.Append(line).Append('\n');
        using var content = new StringContent(ndjson.ToString(), Encoding.UTF8, "application/x-ndjson");
        var report = JsonDocument.Parse(await (await server.Admin.PostAsync("/api/admin/import", content)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, report.GetProperty("rejected").GetInt32());

        var flaggedIps = (await Sql.QueryAsync(server,
                "SELECT ip FROM click_events WHERE fraud_status <> 'clean' UNION SELECT ip FROM offerwall_sessions_detailed WHERE fraud_status <> 'clean' " +
                "UNION SELECT ip FROM offerwall_clicks_detailed WHERE fraud_status <> 'clean' UNION SELECT k.ip FROM offerwall_conversions_detailed c " +
                "JOIN offerwall_clicks_detailed k ON k.click_id = c.click_id WHERE c.fraud_status <> 'clean'"))
            .Select(r => (string)r.ip).ToHashSet();

        output.WriteLine($"{"kind",-28} {"label",-6} {"n",4} {"flagged",8}");
        foreach (var kind in visitors.GroupBy(v => v.Kind))
            output.WriteLine($"{kind.Key,-28} {(kind.First().IsBot ? "bot" : "human"),-6} {kind.Count(),4} {kind.Count(v => flaggedIps.Contains(v.Ip)),8}");
        var bots = visitors.Where(v => v.IsBot).ToList();
        var humans = visitors.Where(v => !v.IsBot).ToList();
        var truePositives = bots.Count(v => flaggedIps.Contains(v.Ip));
        var falsePositives = humans.Count(v => flaggedIps.Contains(v.Ip));
        var recall = (double)truePositives / bots.Count;
        var falsePositiveRate = (double)falsePositives / humans.Count;
        output.WriteLine($"bots {bots.Count}: caught {truePositives}, missed {bots.Count - truePositives}; humans {humans.Count}: flagged {falsePositives}, " +
            $"left alone {humans.Count - falsePositives}; recall {recall:P1}, false-positive rate {falsePositiveRate:P1}");
        Assert.True(recall >= 0.95, $"recall {recall:P1}");
        Assert.True(falsePositiveRate <= 0.02, $"false-positive rate {falsePositiveRate:P1}");
    }

    private static List<Visitor> Generate(DateTimeOffset start, Func<string, string?> timezoneOf)
    {
        var random = new Random(20261124);
        var visitors = new List<Visitor>();
        var at = start;
        var n = 0;

        void Event(string kind, bool isBot, string ip, string userAgent, Action<Dictionary<string, object?>> shape, string acceptLanguage = "en-US,en;q=0.9")
        {
            n++;
            at = at.AddSeconds(30 + random.Next(90));
            var body = ClickEventFlow.HumanDesktop(random.Next(3) switch { 0 => "call", 1 => "whatsapp", _ => "form" }, $"gclid-{n}-{random.Next():x}")
                .With(("kind", "click_event"), ("occurred_at", at.ToString("o")), ("ip", ip), ("user_agent", userAgent), ("accept_language", acceptLanguage),
                    ("fingerprint", $"fp-{n}"), ("browser_tz", timezoneOf(ip) ?? "America/New_York"), ("time_on_page", 4_000 + random.Next(120_000)),
                    ("human_score", 40 + random.Next(60)), ("campaign", $"campaign-{random.Next(4)}"), ("local_hour", null), ("local_day", null));
            shape(body);
            visitors.Add(new Visitor(kind, isBot, ip, [JsonSerializer.Serialize(body)]));
        }

        string Home(int i) => $"73.{10 + i % 200}.{(n + i) % 250}.{10 + n % 200}";
        void Mobile(Dictionary<string, object?> b, string screen, string platform, double? memory)
        {
            b["screen_res"] = screen;
            b["outer_window"] = screen;
            b["touch_points"] = 5;
            b["platform"] = platform;
            b["device_memory"] = memory;
            b["hardware_concurrency"] = 8;
            b["worker"] = null;
            b["human_score"] = 10 + random.Next(90);
        }

        for (var i = 0; i < PerKind; i++)
        {
            // Humans.
            Event("human desktop chrome", false, Home(i), Flow.DesktopChrome, _ => { });
            Event("human mac safari", false, Home(i), MacSafari, b =>
            {
                b["device_memory"] = null;
                b["platform"] = "MacIntel";
                b["worker"] = null;
                b["screen_res"] = "1440x900";
            });
            Event("human firefox", false, Home(i), Firefox, b =>
            {
                b["device_memory"] = null;
                b["worker"] = new { platform = "Win32", hardware_concurrency = 8, languages = new[] { "en-US", "en" } };
            });
            Event("human iphone", false, Home(i), ClickEventFlow.IPhoneSafari, b => Mobile(b, "390x844", "iPhone", null));
            Event("human android", false, Home(i), ClickEventFlow.AndroidChrome, b => Mobile(b, "412x915", "Linux armv81", 4));
            Event("human ipad desktop mode", false, Home(i), MacSafari, b => Mobile(b, "820x1180", "MacIntel", null));
            Event("human slow reader", false, Home(i), Flow.DesktopChrome, b => b["time_on_page"] = 600_000 + random.Next(600_000));
            Event("human fast reader", false, Home(i), Flow.DesktopChrome, b => b["time_on_page"] = 1_200 + random.Next(700));
            Event("human keyboard user", false, Home(i), Flow.DesktopChrome, b => b["human_score"] = 0);
            Event("human honest vpn (de)", false, $"{VpnExitRange}.{10 + i}", Flow.DesktopChrome, b =>
            {
                b["browser_tz"] = "Europe/Berlin";
                b["languages"] = new[] { "de-DE", "de" };
                b["worker"] = new { platform = "Win32", hardware_concurrency = 8, device_memory = 8, languages = new[] { "de-DE", "de" } };
            }, "de-DE,de;q=0.9");

            // Bots.
            Event("bot webdriver", true, Home(i), Flow.DesktopChrome, b => b["is_webdriver"] = true);
            Event("bot headless", true, Home(i), Headless, b => b["platform"] = "Linux x86_64");
            Event("bot datacenter", true, $"3.80.{i}.10", Flow.DesktopChrome, _ => { });
            Event("bot spoofed iphone", true, Home(i), ClickEventFlow.IPhoneSafari, b => Mobile(b, "390x844", "iPhone", random.Next(2) == 0 ? 2 : 0.5));
            Event("bot emulator low spec", true, Home(i), Flow.DesktopChrome, b =>
            {
                b["hardware_concurrency"] = 1 + random.Next(2);
                b["worker"] = null;
            });
            Event("bot lying browser", true, Home(i), Flow.DesktopChrome, b =>
            {
                b["webgl_renderer"] = "Google SwiftShader";
                b["worker"] = new { platform = "Linux x86_64", hardware_concurrency = 2 };
            });
            var farmIp = $"98.{20 + i / 10}.7.{i % 10 + 1}";
            Event("bot click farm", true, farmIp, Flow.DesktopChrome, b => b["fingerprint"] = "fp-farm");
            visitors[^1].Lines.AddRange(Enumerable.Range(1, 2).Select(k =>
            {
                at = at.AddMinutes(7);
                return JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, object?>>(visitors[^1].Lines[0])!
                    .With(("occurred_at", at.ToString("o")), ("gclid", $"farm-{i}-{k}")));
            }));
            // Honeypot scanners follow the invisible link, then hit the buttons.
            var scanner = $"45.{60 + i}.3.9";
            at = at.AddSeconds(20);
            var trap = JsonSerializer.Serialize(new
            {
                kind = "click_event", occurred_at = at.ToString("o"), ip = scanner, user_agent = Flow.DesktopChrome, site_id = "site_1", event_type = "bot_trap",
                element_id = "hp-footer",
            });
            Event("bot honeypot scanner", true, scanner, Flow.DesktopChrome, _ => { });
            visitors[^1].Lines.Insert(0, trap);
            // Offerwall fast converters: the network reports the conversion seconds after the click.
            visitors.Add(OfferwallVisitor("bot fast converter", true, Home(i + 100), ref at, n++, random, convertAfterSeconds: 1 + random.Next(3)));
            visitors.Add(OfferwallVisitor("human offerwall user", false, Home(i + 150), ref at, n++, random, convertAfterSeconds: 300 + random.Next(3000)));
        }
        return visitors;
    }

    private static Visitor OfferwallVisitor(string kind, bool isBot, string ip, ref DateTimeOffset at, int n, Random random, int convertAfterSeconds)
    {
        var session = at.AddSeconds(40);
        var click = session.AddSeconds(20 + random.Next(60));
        var conversion = click.AddSeconds(convertAfterSeconds);
        at = conversion;
        string Line(object o) => JsonSerializer.Serialize(o);
        return new Visitor(kind, isBot, ip,
        [
            Line(new { kind = "session", occurred_at = session.ToString("o"), ip, user_agent = Flow.DesktopChrome, accept_language = "en-US", session_id = $"ses_c{n}",
                user_id = $"u_c{n}", publisher_id = "pub_1", placement_id = "plc_1" }),
            Line(new { kind = "click", occurred_at = click.ToString("o"), ip, user_agent = Flow.DesktopChrome, click_id = $"clk_c{n}", session_id = $"ses_c{n}",
                offer_id = "off_survey", mouse_movement_px = 200 + random.Next(400) }),
            Line(new { kind = "conversion", occurred_at = conversion.ToString("o"), network_id = "net_1", click_id = $"clk_c{n}", transaction_id = $"tx_c{n}",
                network_payout = 1.50m, currency = "USD" }),
        ]);
    }
}
