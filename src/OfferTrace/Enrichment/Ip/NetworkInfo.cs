namespace OfferTrace.Enrichment.Ip;

/// <summary>What the server derives from the client IP. Unknown values stay null, never invented.</summary>
public sealed record NetworkInfo(
    string Ip, string IpVersion, long? Asn, string? Isp, string? Organization, bool IsProxy, bool IsVpn, bool IsTor, bool IsDatacenter);

public sealed record GeoInfo(
    string? Country, string? CountryCode, string? Region, string? City, string? PostalCode, double? Latitude, double? Longitude,
    string? Timezone, bool IsVpnCountry);
