using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace OfferTrace.Enrichment.UserAgents;

/// <summary>
/// Device, system and browser of a request from its user agent, read with the ua-parser rules (<see cref="UapRules"/>),
/// corrected by Client Hints when the browser sent them, with crawlers and automation marked as bots
/// (<see cref="BotPatterns"/> and the automation tools' own markers). Results are cached per user agent and hints.
/// </summary>
public sealed partial class UserAgentParser(Datasets datasets)
{
    private const int MaxCached = 50_000;
    private const int MaxLength = 1024;
    private static readonly ParsedUserAgent Unknown = new(null, null, null, null, null, null, null, false, false);
    private const int TimeoutsBeforeCaching = 3;
    private readonly ConcurrentDictionary<(string, ClientHints?), ParsedUserAgent> _cache = new();
    private readonly ConcurrentDictionary<string, int> _timeouts = new(StringComparer.Ordinal);

    public ParsedUserAgent Parse(string? userAgent, ClientHints? hints = null)
    {
        if (string.IsNullOrEmpty(userAgent) && hints is null) return Unknown;
        var key = (userAgent ?? "", hints);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var parsed = ParseUncached(key.Item1.Length > MaxLength ? key.Item1[..MaxLength] : key.Item1, hints, out var timedOut);
        // A parse cut short by a timeout (a pause of the process is enough) is not kept, unless the same user agent keeps
        // timing out: then it is built to be slow, and parsing it again on every request is what it wants.
        if (timedOut && _timeouts.AddOrUpdate(key.Item1, 1, (_, n) => n + 1) < TimeoutsBeforeCaching) return parsed;
        if (_cache.Count >= MaxCached) _cache.Clear();
        if (_timeouts.Count >= MaxCached) _timeouts.Clear();
        _cache.TryAdd(key, parsed);
        return parsed;
    }

    private ParsedUserAgent ParseUncached(string ua, ClientHints? hints, out bool timedOut)
    {
        timedOut = false;
        var uap = ua.Length == 0 ? new UapResult(null, null, null, null, null, null, null, null, null, null, null) : datasets.UserAgentRules.Parse(ua, out timedOut);
        var automation = ua.Length > 0 && Automation().IsMatch(ua);
        var listed = ua.Length > 0 ? datasets.Bots.IsBot(ua) : false;
        if (listed is null) timedOut = true;
        var bot = automation || uap.Device == "Spider" || listed == true;

        var os = uap.Os switch { null or "Other" => null, "Mac OS X" => "MacOS", var name => name };
        var osVersion = Version(uap.OsMajor, uap.OsMinor, uap.OsPatch);
        var browser = uap.Browser is null or "Other" ? null : uap.Browser;
        var browserVersion = Version(uap.BrowserMajor, uap.BrowserMinor, uap.BrowserPatch);
        var brand = uap.Brand;
        var model = uap.Device is null or "Other" || uap.Model is "Other" ? null : uap.Model;
        if (uap.Brand is "Generic" or "Generic_Android" or "Generic_Inettv") brand = null;

        if (hints is not null)
        {
            if (hints.Platform is { } platform)
            {
                os ??= platform == "macOS" ? "MacOS" : platform;
                if (hints.PlatformVersion is { } v)
                {
                    // Chromium says Windows NT 10.0 on Windows 11 too; the platform version is 13 or more there.
                    if (platform == "Windows") osVersion = MajorOf(v) >= 13 ? "11" : MajorOf(v) > 0 ? "10" : osVersion;
                    else if (platform is "Android" or "macOS" or "Chrome OS") osVersion = v.TrimEnd('0', '.') is { Length: > 0 } t ? t : v;
                }
            }
            if (hints.Model is { } hintedModel) model = hintedModel;
            if (hints.Browser() is { } b && (browser is null || browser.StartsWith("Chrom", StringComparison.Ordinal) || browser == b.Browser))
            {
                browser ??= b.Browser;
                browserVersion = b.Version;
            }
        }

        var type = bot ? "bot" : DeviceType(ua, uap, os, hints);
        return new ParsedUserAgent(type, brand, model, os, osVersion, browser, browserVersion, bot, automation);
    }

    private static string? DeviceType(string ua, UapResult uap, string? os, ClientHints? hints)
    {
        if (Tv().IsMatch(ua)) return "tv";
        if (Console().IsMatch(ua)) return "console";
        if (os is "watchOS" or "Wear OS" || Wearable().IsMatch(ua)) return "wearable";
        if (ua.Contains("iPad", StringComparison.Ordinal) || uap.Device is "iPad" or "Kindle" || Tablet().IsMatch(ua)) return "tablet";
        if (hints?.Mobile == true || ua.Contains("Mobi", StringComparison.Ordinal) || ua.Contains("iPhone", StringComparison.Ordinal)
            || os is "iOS" or "Windows Phone" or "BlackBerry OS" or "KaiOS") return "mobile";
        // Android phones say "Mobile"; Android without it is a tablet.
        if (os == "Android") return "tablet";
        if (os is not null) return "desktop";
        return hints?.Mobile == false ? "desktop" : null;
    }

    private static string? Version(string? major, string? minor, string? patch) =>
        major is null ? null : minor is null ? major : patch is null ? $"{major}.{minor}" : $"{major}.{minor}.{patch}";

    private static int MajorOf(string version) => int.TryParse(version.Split('.')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : 0;

    /// <summary>Markers that automation tools and HTTP libraries put in their user agents.</summary>
    [GeneratedRegex(@"HeadlessChrome|PhantomJS|Selenium|WebDriver|puppeteer|playwright|python-requests|python-urllib|aiohttp|curl/|wget/|Go-http-client|okhttp|axios/|node-fetch|undici|scrapy|HttpClient|libwww-perl|Java/", RegexOptions.IgnoreCase)]
    private static partial Regex Automation();

    [GeneratedRegex(@"smart-?tv|\bTV\b|GoogleTV|AppleTV|HbbTV|NetCast|Web0S|webOS\.TV|Tizen.*TV|Roku|BRAVIA|AFT[A-Z]|CrKey|PhilipsTV|Android TV", RegexOptions.IgnoreCase)]
    private static partial Regex Tv();

    [GeneratedRegex(@"PlayStation|Xbox|Nintendo", RegexOptions.IgnoreCase)]
    private static partial Regex Console();

    [GeneratedRegex(@"\bWatch\b|SM-R\d{3}", RegexOptions.IgnoreCase)]
    private static partial Regex Wearable();

    [GeneratedRegex(@"Tablet|Kindle|Silk/|\bTab\b|SM-T\d{3}|SM-X\d{3}|Nexus (?:7|9|10)\b|Pixel (?:C|Tablet)", RegexOptions.IgnoreCase)]
    private static partial Regex Tablet();
}
