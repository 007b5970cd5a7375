using System.Net;
using System.Net.Sockets;

namespace OfferTrace.Enrichment;

/// <summary>What the server derives from the client IP. Unknown values stay null, never invented.</summary>
public sealed record NetworkInfo(
    string Ip, string IpVersion, long? Asn, string? Isp, string? Organization, bool IsProxy, bool IsVpn, bool IsTor, bool IsDatacenter);

public sealed record GeoInfo(
    string? Country, string? CountryCode, string? Region, string? City, string? PostalCode, double? Latitude, double? Longitude,
    string? Timezone, bool IsVpnCountry);

/// <summary>IP enrichment. GeoIP, ASN and reputation data sets plug in here; without them the fields are null.</summary>
public sealed class IpEnricher
{
    public (NetworkInfo Network, GeoInfo Geo) Enrich(IPAddress ip) =>
    (
        new NetworkInfo(ip.ToString(), ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4", null, null, null, false, false, false, false),
        new GeoInfo(null, null, null, null, null, null, null, null, false)
    );
}
