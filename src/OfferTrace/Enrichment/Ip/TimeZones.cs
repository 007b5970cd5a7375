using System.Text.Json;

namespace OfferTrace.Enrichment.Ip;

/// <summary>
/// The IANA time zone of a place when the GeoIP record has none (DB-IP Lite has none): the country's only zone, or
/// among its zones the one whose principal city (the tz database's <c>zone1970.tab</c> coordinates, as published in
/// <c>moment-timezone</c>'s <c>data/meta/latest.json</c>, MIT) lies nearest to the place.
/// </summary>
public sealed class TimeZones
{
    private readonly Dictionary<string, (string Zone, double Lat, double Lon)[]> _byCountry;

    private TimeZones(Dictionary<string, (string, double, double)[]> byCountry) => _byCountry = byCountry;

    public static TimeZones Empty { get; } = new([]);

    public int Count => _byCountry.Count;

    public string? Guess(string? countryCode, double? latitude, double? longitude)
    {
        if (countryCode is null || !_byCountry.TryGetValue(countryCode, out var zones)) return null;
        if (zones.Length == 1 || latitude is null || longitude is null) return zones[0].Zone;
        var best = zones[0];
        var bestDistance = double.MaxValue;
        foreach (var zone in zones)
        {
            var distance = Distance(latitude.Value, longitude.Value, zone.Lat, zone.Lon);
            if (distance < bestDistance) (best, bestDistance) = (zone, distance);
        }
        return best.Zone;
    }

    /// <summary>Great-circle distance (haversine), in radians.</summary>
    private static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        const double rad = Math.PI / 180;
        var dLat = (lat2 - lat1) * rad;
        var dLon = (lon2 - lon1) * rad;
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public static TimeZones Load(string metaJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(metaJson));
        var zones = document.RootElement.GetProperty("zones");
        var byCountry = new Dictionary<string, (string, double, double)[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var country in document.RootElement.GetProperty("countries").EnumerateObject())
        {
            var list = new List<(string, double, double)>();
            foreach (var name in country.Value.GetProperty("zones").EnumerateArray())
            {
                if (name.GetString() is { } zone && zones.TryGetProperty(zone, out var z))
                    list.Add((zone, z.GetProperty("lat").GetDouble(), z.GetProperty("long").GetDouble()));
            }
            if (list.Count > 0) byCountry[country.Name] = [.. list];
        }
        return new TimeZones(byCountry);
    }
}
