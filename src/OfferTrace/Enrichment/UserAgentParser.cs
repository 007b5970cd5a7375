using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace OfferTrace.Enrichment;

/// <summary>
/// A small user-agent parser covering the major browsers, systems and automation tools; results are cached per
/// user agent. A maintained rule set replaces it in the enrichment work.
/// </summary>
public sealed partial class UserAgentParser
{
    private const int MaxCached = 50_000;
    private readonly ConcurrentDictionary<string, ParsedUserAgent> _cache = new(StringComparer.Ordinal);

    public ParsedUserAgent Parse(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent)) return new ParsedUserAgent(null, null, null, null, null, null, null, false, false);
        if (_cache.TryGetValue(userAgent, out var cached)) return cached;
        var parsed = ParseUncached(userAgent);
        if (_cache.Count < MaxCached) _cache.TryAdd(userAgent, parsed);
        return parsed;
    }

    private static ParsedUserAgent ParseUncached(string ua)
    {
        var automation = Automation().IsMatch(ua);
        var bot = automation || Bot().IsMatch(ua);
        var (os, osVersion) = ParseOs(ua);
        var (browser, browserVersion) = ParseBrowser(ua);
        var (brand, model) = ParseDevice(ua, os);
        string deviceType;
        if (bot) deviceType = "bot";
        else if (ua.Contains("iPad", StringComparison.Ordinal) || (os == "Android" && !ua.Contains("Mobile", StringComparison.Ordinal))) deviceType = "tablet";
        else if (ua.Contains("Mobi", StringComparison.Ordinal) || os is "iOS" or "Android") deviceType = "mobile";
        else if (ua.Contains("SmartTV", StringComparison.OrdinalIgnoreCase) || ua.Contains("SMART-TV", StringComparison.Ordinal)) deviceType = "tv";
        else deviceType = "desktop";
        return new ParsedUserAgent(deviceType, brand, model, os, osVersion, browser, browserVersion, bot, automation);
    }

    private static (string?, string?) ParseOs(string ua)
    {
        Match m;
        if ((m = Ios().Match(ua)).Success) return ("iOS", m.Groups[1].Value.Replace('_', '.'));
        if ((m = Android().Match(ua)).Success) return ("Android", m.Groups[1].Value);
        if ((m = Windows().Match(ua)).Success) return ("Windows", m.Groups[1].Value switch { "10.0" => "10", "6.3" => "8.1", "6.2" => "8", "6.1" => "7", var v => v });
        if ((m = MacOs().Match(ua)).Success) return ("MacOS", m.Groups[1].Value.Replace('_', '.'));
        if (ua.Contains("CrOS", StringComparison.Ordinal)) return ("Chrome OS", null);
        if (ua.Contains("Linux", StringComparison.Ordinal)) return ("Linux", null);
        return (null, null);
    }

    private static (string?, string?) ParseBrowser(string ua)
    {
        foreach (var (name, regex) in Browsers)
        {
            var m = regex.Match(ua);
            if (m.Success) return (name, m.Groups[1].Value);
        }
        return (null, null);
    }

    private static (string?, string?) ParseDevice(string ua, string? os)
    {
        if (ua.Contains("iPhone", StringComparison.Ordinal)) return ("Apple", "iPhone");
        if (ua.Contains("iPad", StringComparison.Ordinal)) return ("Apple", "iPad");
        if (ua.Contains("Macintosh", StringComparison.Ordinal)) return ("Apple", "Mac");
        if (os == "Android" && AndroidModel().Match(ua) is { Success: true } m) return (null, m.Groups[1].Value.Trim());
        return (null, null);
    }

    private static readonly (string Name, Regex Regex)[] Browsers =
    [
        ("HeadlessChrome", new Regex(@"HeadlessChrome/([\d.]+)", RegexOptions.Compiled)),
        ("Edge", new Regex(@"Edg(?:e|A|iOS)?/([\d.]+)", RegexOptions.Compiled)),
        ("Opera", new Regex(@"(?:OPR|Opera)/([\d.]+)", RegexOptions.Compiled)),
        ("Samsung Internet", new Regex(@"SamsungBrowser/([\d.]+)", RegexOptions.Compiled)),
        ("Firefox", new Regex(@"(?:Firefox|FxiOS)/([\d.]+)", RegexOptions.Compiled)),
        ("Chrome", new Regex(@"(?:Chrome|CriOS)/([\d.]+)", RegexOptions.Compiled)),
        ("Safari", new Regex(@"Version/([\d.]+).*Safari/", RegexOptions.Compiled)),
        ("curl", new Regex(@"curl/([\d.]+)", RegexOptions.Compiled)),
        ("python-requests", new Regex(@"python-requests/([\d.]+)", RegexOptions.Compiled)),
    ];

    [GeneratedRegex(@"HeadlessChrome|PhantomJS|Selenium|WebDriver|puppeteer|playwright|python-requests|curl/|wget/|Go-http-client|okhttp|axios/|node-fetch|scrapy|HttpClient", RegexOptions.IgnoreCase)]
    private static partial Regex Automation();

    [GeneratedRegex(@"bot\b|bot/|crawler|spider|slurp|facebookexternalhit|bingpreview|mediapartners|adsbot|lighthouse", RegexOptions.IgnoreCase)]
    private static partial Regex Bot();

    [GeneratedRegex(@"(?:iPhone|iPad|iPod).*?OS ([\d_]+)")]
    private static partial Regex Ios();

    [GeneratedRegex(@"Android ([\d.]+)")]
    private static partial Regex Android();

    [GeneratedRegex(@"Windows NT ([\d.]+)")]
    private static partial Regex Windows();

    [GeneratedRegex(@"Mac OS X ([\d_.]+)")]
    private static partial Regex MacOs();

    [GeneratedRegex(@"Android [\d.]+; (?:[a-z]{2}[-_][a-zA-Z]{2}; )?([^;)]+?)(?: Build/[^;)]*)?\)")]
    private static partial Regex AndroidModel();
}
