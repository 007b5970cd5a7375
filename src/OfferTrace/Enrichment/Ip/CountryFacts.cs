using System.Text.Json;

namespace OfferTrace.Enrichment.Ip;

public sealed record Country(string Code, string Name, IReadOnlyList<string> Languages);

/// <summary>ISO 3166-1 countries with their English names and languages, from <c>countries-list</c> (MIT).</summary>
public sealed class CountryFacts
{
    private readonly Dictionary<string, Country> _byCode;

    private CountryFacts(Dictionary<string, Country> byCode) => _byCode = byCode;

    public static CountryFacts Empty { get; } = new([]);

    public int Count => _byCode.Count;

    public Country? Find(string? code) => code is not null && _byCode.TryGetValue(code, out var country) ? country : null;

    public static CountryFacts Load(string countriesJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(countriesJson));
        var byCode = new Dictionary<string, Country>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var name = entry.Value.TryGetProperty("name", out var n) ? n.GetString() : null;
            if (name is null) continue;
            var languages = entry.Value.TryGetProperty("languages", out var l) && l.ValueKind == JsonValueKind.Array
                ? l.EnumerateArray().Select(x => x.GetString()!).Where(x => x is not null).ToList()
                : [];
            byCode[entry.Name] = new Country(entry.Name, name, languages);
        }
        return new CountryFacts(byCode);
    }
}
