using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace OfferTrace.Enrichment;

public sealed class EnrichmentOptions : IValidatableObject
{
    public const string Section = "Enrichment";

    /// <summary>
    /// Where the npm data packages are installed (<c>node_modules</c> below it). Default: the repository's
    /// <c>datasets/</c>, where the build installs them.
    /// </summary>
    public string? DatasetsDirectory { get; set; }

    /// <summary>Reputation lists (Tor exits, datacenter, VPN, proxy); reloaded when a file changes. Default: <c>datasets/reputation</c>.</summary>
    public string? ReputationDirectory { get; set; }

    /// <summary>Country codes counted as VPN countries (<c>is_vpn_country</c>): where VPN exits of the big providers concentrate.</summary>
    public List<string> VpnCountries { get; set; } = ["NL", "CH", "PA", "VG", "SC", "RO", "SE", "IS", "LU", "CY", "MD", "LT"];

    /// <summary>Lists downloaded on a schedule into <see cref="ReputationDirectory"/>.</summary>
    public List<ReputationSource> Refresh { get; set; } = [];

    public string ResolvedDatasetsDirectory() =>
        DatasetsDirectory
        ?? typeof(EnrichmentOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OfferTrace.DatasetsDirectory")?.Value
        ?? Path.Combine(AppContext.BaseDirectory, "datasets");

    public string ResolvedReputationDirectory() => ReputationDirectory ?? Path.Combine(ResolvedDatasetsDirectory(), "reputation");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < VpnCountries.Count; i++)
        {
            if (VpnCountries[i] is not { Length: 2 } code || !code.All(char.IsAsciiLetterUpper))
                yield return new ValidationResult($"Enrichment:VpnCountries:{i} '{VpnCountries[i]}' is not a two-letter upper-case country code.", [nameof(VpnCountries)]);
        }
        for (var i = 0; i < Refresh.Count; i++)
        {
            var source = Refresh[i];
            if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                yield return new ValidationResult($"Enrichment:Refresh:{i}:Url '{source.Url}' is not an http(s) URL.", [nameof(Refresh)]);
            if (string.IsNullOrWhiteSpace(source.File) || source.File != Path.GetFileName(source.File))
                yield return new ValidationResult($"Enrichment:Refresh:{i}:File '{source.File}' must be a plain file name.", [nameof(Refresh)]);
            if (source.IntervalMinutes < 1)
                yield return new ValidationResult($"Enrichment:Refresh:{i}:IntervalMinutes must be at least 1.", [nameof(Refresh)]);
        }
    }
}

/// <summary>A list to download: its URL, the file it becomes (its name says its kind, see the reputation README) and how often.</summary>
public sealed class ReputationSource
{
    public string Url { get; set; } = "";
    public string File { get; set; } = "";
    public int IntervalMinutes { get; set; } = 60;
}
