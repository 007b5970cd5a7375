using System.Text.Json;
using OfferTrace.Common;
using OfferTrace.Fraud.Rules;

namespace OfferTrace.ClickEvents;

/// <summary>
/// What the browser script sends with a click event. The server's own facts (IP, user agent, location, time, score)
/// are never read from the body.
/// </summary>
public sealed record ClickEventInput(
    string SiteId, string EventType, string? ElementId, string? Fingerprint, string? PageUrl, string? ReferrerUrl, string? Gclid,
    string? Gbraid, string? Wbraid, string? Campaign, string? Source, string? Medium, string? Keyword, int? LocalHour, int? LocalDay,
    long? TimeOnPageMs, bool? IsWebdriver, string? ScreenRes, string? BrowserTz, int? HumanScore, double? DeviceMemory, int? HardwareConcurrency,
    string? ConnectionType, int? TouchPoints, decimal? Value, string? Currency, BrowserProbe Probe)
{
    public const string BotTrap = "bot_trap";

    /// <summary>The paid click this event belongs to, when it came from an ad.</summary>
    public string? AdClickId => Gclid ?? Gbraid ?? Wbraid;

    public static ClickEventInput? Read(FieldReader r)
    {
        var siteId = r.Id("site_id", required: true);
        var eventType = r.String("event_type", required: true, maxLength: 64);
        if (eventType is not null && !Ids.IsValidExternal(eventType)) r.Add("event_type", "must be letters, digits, '_' or '-'");
        var input = new ClickEventInput(
            siteId!, eventType!, r.String("element_id", maxLength: 256), r.String("fingerprint", maxLength: 128), Url(r, "page_url"),
            Url(r, "referrer_url"), r.String("gclid", maxLength: 512), r.String("gbraid", maxLength: 512), r.String("wbraid", maxLength: 512),
            Either(r, "campaign", "utm_campaign"), Either(r, "source", "utm_source"), Either(r, "medium", "utm_medium"),
            Either(r, "keyword", "utm_term"), r.Int("local_hour", min: 0, max: 23), r.Int("local_day", min: 0, max: 6),
            r.Int("time_on_page", min: 0), r.Bool("is_webdriver"), r.String("screen_res", maxLength: 32), r.String("browser_tz", maxLength: 64),
            r.Int("human_score", min: 0, max: 100), r.Double("device_memory", min: 0, max: 1024), r.Int("hardware_concurrency", min: 0, max: 1024),
            r.String("connection_type", maxLength: 32), r.Int("touch_points", min: 0, max: 256), r.Amount("value"), r.String("currency", maxLength: 3),
            ReadProbe(r));
        if (input.Currency is { } currency && !Currencies.IsKnown(currency)) r.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
        if (input.BrowserTz is { } tz && !IanaZones.IsKnown(tz)) r.Add("browser_tz", $"'{tz}' is not a known IANA time zone");
        return r.Errors.Any ? null : input;
    }

    private static BrowserProbe ReadProbe(FieldReader r)
    {
        var worker = r.Object("worker");
        return new BrowserProbe(r.String("platform", maxLength: 64), Strings(r, "languages"), r.String("webgl_renderer", maxLength: 256),
            r.String("outer_window", maxLength: 32), Strings(r, "automation") ?? [],
            worker is null
                ? null
                : new WorkerProbe(worker.String("platform", maxLength: 64), worker.Int("hardware_concurrency", min: 0, max: 1024),
                    worker.Double("device_memory", min: 0, max: 1024), Strings(worker, "languages"), worker.String("webgl_renderer", maxLength: 256)));
    }

    private static List<string>? Strings(FieldReader r, string name)
    {
        if (r.Element(name, JsonValueKind.Array) is not { } array) return null;
        var list = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length > 64 || list.Count >= 32)
            {
                r.Add(name, "must be an array of at most 32 strings of at most 64 characters");
                return null;
            }
            list.Add(item.GetString()!);
        }
        return list;
    }

    private static string? Either(FieldReader r, string name, string alias) => r.String(name, maxLength: 256) ?? r.String(alias, maxLength: 256);

    private static string? Url(FieldReader r, string name)
    {
        var url = r.String(name, maxLength: 4096);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            r.Add(name, "must be an absolute http or https URL");
        return url;
    }
}
