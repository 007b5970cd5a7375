using System.Globalization;

namespace OfferTrace.Enrichment.Ip;

public sealed record AsnInfo(long Number, string? Organization);

/// <summary>
/// IP to autonomous system for IPv4 and IPv6, from the <c>@ip-location-db/asn</c> CSV files
/// (<c>first,last,asn,organization</c>; RouteViews, the RIRs and DB-IP, CC BY 4.0), held as sorted ranges.
/// </summary>
public sealed class AsnDatabase
{
    private readonly IpRangeMap<AsnInfo> _ranges;

    private AsnDatabase(IpRangeMap<AsnInfo> ranges) => _ranges = ranges;

    public int Ranges => _ranges.Count;

    public AsnInfo? Find(IpKey ip) => _ranges.TryFind(ip, out var info) ? info : null;

    public static AsnDatabase Load(params string[] csvFiles)
    {
        var builder = new IpRangeMap<AsnInfo>.Builder();
        var byAsn = new Dictionary<(long, string?), AsnInfo>();
        foreach (var file in csvFiles)
        {
            foreach (var line in File.ReadLines(file))
            {
                var fields = Csv.Split(line);
                if (fields.Count < 3 || !IpKey.TryParse(fields[0], out var first) || !IpKey.TryParse(fields[1], out var last)
                    || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
                    continue;
                var organization = fields.Count > 3 && fields[3].Length > 0 ? fields[3] : null;
                if (!byAsn.TryGetValue((asn, organization), out var info)) byAsn[(asn, organization)] = info = new AsnInfo(asn, organization);
                builder.Add(first, last, info);
            }
        }
        return new AsnDatabase(builder.Build());
    }
}

/// <summary>RFC 4180 fields of one line: commas inside double quotes, doubled quotes as one.</summary>
internal static class Csv
{
    public static List<string> Split(string line)
    {
        var fields = new List<string>(4);
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
