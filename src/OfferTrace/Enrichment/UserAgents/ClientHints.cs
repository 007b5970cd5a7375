using System.Text.RegularExpressions;
using OfferTrace.Common;

namespace OfferTrace.Enrichment.UserAgents;

/// <summary>
/// User-Agent Client Hints (<c>Sec-CH-UA*</c> request headers). Chromium freezes parts of its user agent (Android
/// model "K", Windows 10 for 11); these headers carry the real values when the site asked for them.
/// </summary>
public sealed partial record ClientHints(string? Brands, bool? Mobile, string? Platform, string? PlatformVersion, string? Model)
{
    public static ClientHints? From(IHeaderDictionary headers)
    {
        var brands = headers["Sec-CH-UA-Full-Version-List"].FirstOrNull() ?? headers["Sec-CH-UA"].FirstOrNull();
        var mobile = headers["Sec-CH-UA-Mobile"].FirstOrNull() switch { "?1" => true, "?0" => false, _ => (bool?)null };
        var platform = Unquote(headers["Sec-CH-UA-Platform"].FirstOrNull());
        var platformVersion = Unquote(headers["Sec-CH-UA-Platform-Version"].FirstOrNull());
        var model = Unquote(headers["Sec-CH-UA-Model"].FirstOrNull());
        if (brands is null && mobile is null && platform is null && platformVersion is null && model is null) return null;
        return new ClientHints(Limit(brands), mobile, Limit(platform), Limit(platformVersion), Limit(model));
    }

    /// <summary>The browser and its version from the brand list, skipping GREASE brands ("Not A;Brand") and "Chromium" when a vendor brand is there.</summary>
    public (string Browser, string Version)? Browser()
    {
        if (Brands is null) return null;
        var brands = BrandEntry().Matches(Brands).Select(m => (Name: m.Groups[1].Value, Version: m.Groups[2].Value))
            .Where(b => !b.Name.Contains("Brand", StringComparison.OrdinalIgnoreCase) && !b.Name.Contains("Not", StringComparison.Ordinal))
            .ToList();
        var chosen = brands.FirstOrDefault(b => b.Name != "Chromium");
        if (chosen.Name is null) chosen = brands.FirstOrDefault();
        return chosen.Name is null ? null : (chosen.Name == "Google Chrome" ? "Chrome" : chosen.Name == "Microsoft Edge" ? "Edge" : chosen.Name, chosen.Version);
    }

    private static string? Unquote(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().Trim('"') is { Length: > 0 } v ? v : null;

    private static string? Limit(string? value) => value is { Length: > 512 } ? value[..512] : value;

    [GeneratedRegex("\"([^\"]{1,64})\";\\s*v=\"([^\"]{1,64})\"")]
    private static partial Regex BrandEntry();
}
