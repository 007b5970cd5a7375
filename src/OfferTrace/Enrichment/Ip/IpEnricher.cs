using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OfferTrace.Enrichment.Reputation;

namespace OfferTrace.Enrichment.Ip;

/// <summary>
/// Network and geo facts of a client address, from the loaded data sets only: GeoIP city, ASN and organisation,
/// reputation lists. Private, loopback and other non-public addresses get no look-up at all; unknown values stay null.
/// </summary>
public sealed class IpEnricher(Datasets datasets, ReputationStore reputation, IOptions<EnrichmentOptions> options)
{
    private static readonly string[] HostingWords = ["hosting", "datacenter", "data center", "data centre", "colocation", "vps", "cloud", "dedicated server", "servers"];
    private readonly HashSet<string> _vpnCountries = new(options.Value.VpnCountries, StringComparer.OrdinalIgnoreCase);

    public (NetworkInfo Network, GeoInfo Geo) Enrich(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var version = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        if (!IsPublic(ip)) return (new NetworkInfo(ip.ToString(), version, null, null, null, false, false, false, false), NoGeo);

        var key = IpKey.From(ip);
        var asn = datasets.Asn?.Find(key);
        var lists = reputation.Current;
        var isTor = lists[ReputationKind.Tor].Contains(key, asn?.Number);
        var isVpn = lists[ReputationKind.Vpn].Contains(key, asn?.Number);
        var isProxy = lists[ReputationKind.Proxy].Contains(key, asn?.Number);
        var isDatacenter = lists[ReputationKind.Datacenter].Contains(key, asn?.Number) || IsHostingName(asn?.Organization);
        var network = new NetworkInfo(ip.ToString(), version, asn?.Number, asn?.Organization, asn?.Organization, isProxy, isVpn, isTor, isDatacenter);

        var record = datasets.Geo?.Find(ip);
        if (record?.CountryCode is null) return (network, NoGeo);
        var latitude = Coordinate(record.Latitude);
        var longitude = Coordinate(record.Longitude);
        var geo = new GeoInfo(datasets.Countries.Find(record.CountryCode)?.Name, record.CountryCode, record.Region, record.City, record.PostalCode,
            latitude, longitude, record.Timezone ?? datasets.TimeZones.Guess(record.CountryCode, latitude, longitude),
            _vpnCountries.Contains(record.CountryCode));
        return (network, geo);
    }

    /// <summary>Four decimals (about 11 m), the precision of the data: the file stores single-precision floats.</summary>
    private static double? Coordinate(double? value) => value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null;

    private static readonly GeoInfo NoGeo = new(null, null, null, null, null, null, null, null, false);

    private static bool IsHostingName(string? organization) =>
        organization is not null && HostingWords.Any(w => organization.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>False for addresses no GeoIP or ASN data describes: private, loopback, link-local, shared, documentation, multicast.</summary>
    public static bool IsPublic(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.None)) return false;
        if (ip.AddressFamily == AddressFamily.InterNetwork) return !NonPublicV4.Any(n => n.Contains(ip));
        if (ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || ip.IsIPv6UniqueLocal) return false;
        return !NonPublicV6.Any(n => n.Contains(ip));
    }

    private static readonly IPNetwork[] NonPublicV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/3"),
    ];

    private static readonly IPNetwork[] NonPublicV6 = [IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("::/96")];
}
