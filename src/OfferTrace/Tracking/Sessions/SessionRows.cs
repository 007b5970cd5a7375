using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Sessions;

internal static class SessionRowsSql
{
    public static readonly SqlStatement Insert = SqlStatement.Insert("offerwall_sessions_detailed",
        "session_id, created_at, user_id, publisher_id, placement_id, sub_id, device_type, device_brand, device_model, os, os_version, " +
        "browser, browser_version, screen_resolution, screen_dpi, timezone, language, device_memory, hardware_concurrency, connection_type, " +
        "is_webdriver, touch_points, user_agent, user_agent_hash, device_id, canvas_hash, webgl_hash, fonts_hash, plugins_hash, ip, ip_version, " +
        "asn, isp, organization, is_proxy, is_vpn, is_tor, is_datacenter, country, country_code, region, city, postal_code, latitude, longitude, " +
        "geo_timezone, is_vpn_country, referrer_url, referrer_domain, referrer_type, utm_source, utm_medium, utm_campaign, utm_term, utm_content, " +
        "gclid, fraud_score, fraud_status, status");

    public static object?[] Values(SessionRecord s)
    {
        var (d, f, n, g) = (s.Device, s.Fingerprint, s.Network, s.Geo);
        return
        [
            s.SessionId, s.CreatedAtMs, s.UserId, s.PublisherId, s.PlacementId, s.SubId, d.Type, d.Brand, d.Model, d.Os, d.OsVersion,
            d.Browser, d.BrowserVersion, d.ScreenResolution, d.ScreenDpi, d.Timezone, d.Language, d.DeviceMemory, d.HardwareConcurrency,
            d.ConnectionType, d.IsWebdriver, d.TouchPoints, f.UserAgent, f.UserAgentHash, f.DeviceId, f.Canvas, f.Webgl, f.Fonts, f.Plugins,
            n.Ip, n.IpVersion, n.Asn, n.Isp, n.Organization, n.IsProxy, n.IsVpn, n.IsTor, n.IsDatacenter, g.Country, g.CountryCode,
            g.Region, g.City, g.PostalCode, g.Latitude, g.Longitude, g.Timezone, g.IsVpnCountry, s.Referrer.Url, s.Referrer.Domain,
            s.Referrer.Type, s.Utm.Source, s.Utm.Medium, s.Utm.Campaign, s.Utm.Term, s.Utm.Content, s.Gclid, s.Fraud.Score, s.Fraud.Status,
            "active",
        ];
    }
}

public static class SessionRows
{
    public static SessionInfo ToInfo(DbRow r)
    {
        var ua = r.StrOrNull("user_agent");
        var touch = r.IntOrNull("touch_points") is > 0 || r.StrOrNull("device_type") is "mobile" or "tablet";
        // Rebuilt from the stored columns when the session is no longer cached: what the click rules read.
        var facts = new SessionFacts(ua, r.StrOrNull("device_type") == "bot", false, r.BoolOrNull("is_webdriver") ?? false, touch)
        {
            Network = new NetworkFacts(r.Bool("is_datacenter"), r.Bool("is_tor"), r.Bool("is_vpn"), r.Bool("is_proxy"), r.Bool("is_vpn_country"),
                r.LongOrNull("asn"), r.StrOrNull("organization"), r.StrOrNull("country_code"), r.StrOrNull("geo_timezone"), [])
            {
                IsPublicIp = System.Net.IPAddress.TryParse(r.Str("ip"), out var ip) && Enrichment.Ip.IpEnricher.IsPublic(ip),
            },
            Claims = new DeviceClaims(r.StrOrNull("device_type"), r.StrOrNull("timezone"), r.StrOrNull("screen_resolution"),
                r.IntOrNull("hardware_concurrency"), r.StrOrNull("language")),
        };
        return new SessionInfo(r.Str("session_id"), r.Long("created_at"), r.Str("user_id"), r.Str("publisher_id"), r.Str("placement_id"),
            r.StrOrNull("sub_id"), r.StrOrNull("device_type"), r.StrOrNull("os"), r.StrOrNull("browser"), r.StrOrNull("device_id"),
            r.StrOrNull("user_agent_hash"), r.Str("ip"), r.StrOrNull("country_code"), r.Bool("is_proxy"), r.Bool("is_vpn"), r.Bool("is_tor"),
            r.Bool("is_datacenter"), facts);
    }
}
