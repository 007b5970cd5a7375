namespace OfferTrace.GoogleAds;

/// <summary>
/// The reason codes of the invalid-click evidence. A code never changes meaning: a rule whose logic changes gets a new
/// code under a new <see cref="Version"/>, so evidence sent for a refund stays reproducible.
/// </summary>
public static class ReasonCodes
{
    public const string Version = "1";

    private static readonly Dictionary<string, (string Code, string Reason)> ByType = new(StringComparer.Ordinal)
    {
        ["webdriver"] = ("OT1-AUTO-WEBDRIVER", "navigator.webdriver was true: an automated browser"),
        ["honeypot_hit"] = ("OT1-AUTO-HONEYPOT", "followed an invisible link no human can see"),
        ["blocklisted"] = ("OT1-BLOCKLIST", "address or device on the blocklist"),
        ["automation_user_agent"] = ("OT1-AUTO-UA", "headless or automation user agent"),
        ["bot_user_agent"] = ("OT1-BOT-UA", "known bot or crawler user agent"),
        ["datacenter_ip"] = ("OT1-NET-DATACENTER", "address of a hosting or cloud provider"),
        ["tor_exit"] = ("OT1-NET-TOR", "Tor exit node"),
        ["vpn"] = ("OT1-NET-VPN", "VPN address"),
        ["proxy"] = ("OT1-NET-PROXY", "proxy address"),
        ["vpn_country"] = ("OT1-NET-VPN-COUNTRY", "country where most such traffic is VPN"),
        ["timezone_mismatch"] = ("OT1-GEO-TZ", "browser time zone differs from the address's"),
        ["language_country_mismatch"] = ("OT1-GEO-LANG", "browser language foreign to the address's country"),
        ["impossible_screen"] = ("OT1-HW-SCREEN", "a screen size no device has"),
        ["low_core_desktop"] = ("OT1-HW-CORES", "desktop claim with 1 or 2 CPU cores"),
        ["hardware_lie"] = ("OT1-HW-LIE", "hardware contradicts the claimed device"),
        ["browser_lie"] = ("OT1-BROWSER-LIE", "browser values that contradict each other"),
        ["short_time_on_page"] = ("OT1-BEHAVIOUR-FAST", "clicked sooner after page load than anyone reads"),
        ["no_mouse_movement"] = ("OT1-BEHAVIOUR-NOMOUSE", "no pointer movement on a pointer device"),
        ["ad_click_repeat"] = ("OT1-REPEAT", "repeated paid clicks from one address"),
    };

    public static (string Code, string Reason) Of(string signalType) =>
        ByType.TryGetValue(signalType, out var known) ? known : ("OT1-OTHER-" + signalType.ToUpperInvariant(), signalType.Replace('_', ' '));
}
