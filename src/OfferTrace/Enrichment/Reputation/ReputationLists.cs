using System.Globalization;
using System.Text.Json;
using OfferTrace.Enrichment.Ip;

namespace OfferTrace.Enrichment.Reputation;

public enum ReputationKind { Tor, Datacenter, Vpn, Proxy }

/// <summary>One kind of list: address ranges and autonomous systems.</summary>
public sealed record ReputationSet(IpRangeMap<bool> Ranges, IReadOnlySet<long> Asns)
{
    public static ReputationSet Empty { get; } = new(IpRangeMap<bool>.Empty, new HashSet<long>());

    public bool Contains(IpKey ip, long? asn) => Ranges.TryFind(ip, out _) || (asn is { } a && Asns.Contains(a));
}

/// <summary>
/// Every reputation list of a directory, read into one set per kind. A file's kind is the start of its name
/// (<c>tor</c>, <c>datacenter</c>, <c>vpn</c>, <c>proxy</c>, then <c>-</c>, <c>_</c> or <c>.</c>); files whose names start
/// with a dot or with no known kind are skipped. Text files hold one entry a line: an address, a CIDR range, an
/// autonomous system (<c>AS15169</c>), or the Tor Project's <c>ExitAddress</c> lines; <c>#</c> starts a comment.
/// JSON files are cloud range lists: AWS <c>ip-ranges.json</c> (<c>ip_prefix</c>, <c>ipv6_prefix</c>) and Google's
/// <c>cloud.json</c> (<c>ipv4Prefix</c>, <c>ipv6Prefix</c>).
/// </summary>
public sealed class ReputationLists
{
    private readonly Dictionary<ReputationKind, ReputationSet> _sets;

    private ReputationLists(Dictionary<ReputationKind, ReputationSet> sets, IReadOnlyList<string> files)
    {
        _sets = sets;
        Files = files;
    }

    public static ReputationLists Empty { get; } = new([], []);

    /// <summary>The files read, with what each held, for the log.</summary>
    public IReadOnlyList<string> Files { get; }

    public ReputationSet this[ReputationKind kind] => _sets.GetValueOrDefault(kind, ReputationSet.Empty);

    public static ReputationLists Load(string directory)
    {
        if (!Directory.Exists(directory)) return Empty;
        var ranges = Enum.GetValues<ReputationKind>().ToDictionary(k => k, _ => new IpRangeMap<bool>.Builder());
        var asns = Enum.GetValues<ReputationKind>().ToDictionary(k => k, _ => new HashSet<long>());
        var files = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || KindOf(name) is not { } kind) continue;
            int rangeCount = ranges[kind].Count, asnCount = asns[kind].Count;
            if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) ReadCloudJson(path, ranges[kind]);
            else if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".lst", StringComparison.OrdinalIgnoreCase) || !name.Contains('.'))
                ReadText(path, ranges[kind], asns[kind]);
            else continue;
            files.Add($"{name} ({kind.ToString().ToLowerInvariant()}: {ranges[kind].Count - rangeCount} ranges, {asns[kind].Count - asnCount} AS)");
        }
        return new ReputationLists(Enum.GetValues<ReputationKind>().ToDictionary(k => k, k => new ReputationSet(ranges[k].Build(), asns[k])), files);
    }

    public static ReputationKind? KindOf(string fileName)
    {
        foreach (var kind in Enum.GetValues<ReputationKind>())
        {
            var prefix = kind.ToString();
            if (fileName.Length > prefix.Length && fileName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && fileName[prefix.Length] is '-' or '_' or '.')
                return kind;
        }
        return null;
    }

    private static void ReadText(string path, IpRangeMap<bool>.Builder ranges, HashSet<long> asns)
    {
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.AsSpan();
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.IsEmpty) continue;
            // Tor's exit-addresses format: "ExitAddress 185.220.101.1 2026-11-24 08:00:00".
            if (line.StartsWith("ExitAddress ", StringComparison.Ordinal)) line = line["ExitAddress ".Length..].TrimStart();
            var space = line.IndexOfAny(' ', '\t');
            if (space >= 0) line = line[..space];
            if (line.Length > 2 && (line[0] is 'A' or 'a') && (line[1] is 'S' or 's')
                && long.TryParse(line[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
                asns.Add(asn);
            else if (IpKey.TryParseRange(line, out var first, out var last))
                ranges.Add(first, last, true);
        }
    }

    private static void ReadCloudJson(string path, IpRangeMap<bool>.Builder ranges)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        Walk(document.RootElement);

        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) Walk(item);
                return;
            }
            if (element.ValueKind != JsonValueKind.Object) return;
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String
                    && property.Name is "ip_prefix" or "ipv6_prefix" or "ipv4Prefix" or "ipv6Prefix"
                    && IpKey.TryParseRange(property.Value.GetString(), out var first, out var last))
                    ranges.Add(first, last, true);
                else if (property.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                    Walk(property.Value);
            }
        }
    }
}
