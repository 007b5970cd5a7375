using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OfferTrace.Enrichment;

public sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Network";

    /// <summary>Proxies whose X-Forwarded-For / Forwarded headers are believed. Default: loopback only; a list replaces it.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The public base URL networks call (scheme and host), used to check <c>hmac_url</c> signatures.</summary>
    public string? PublicBaseUrl { get; set; }

    public IReadOnlyList<IPNetwork> ParsedTrustedProxies() =>
        TrustedProxies.Count == 0
            ? [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]
            : TrustedProxies.Select(ParseRange).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!TryParseRange(TrustedProxies[i], out _))
                yield return new ValidationResult($"Network:TrustedProxies:{i} '{TrustedProxies[i]}' is not an IP address or CIDR range.", [nameof(TrustedProxies)]);
        }
        if (PublicBaseUrl is not null && !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
            yield return new ValidationResult($"Network:PublicBaseUrl '{PublicBaseUrl}' is not an absolute URL.", [nameof(PublicBaseUrl)]);
    }

    public static IPNetwork ParseRange(string text) =>
        TryParseRange(text, out var range) ? range : throw new FormatException($"'{text}' is not an IP address or CIDR range.");

    public static bool TryParseRange(string text, out IPNetwork range)
    {
        if (IPNetwork.TryParse(text, out range)) return true;
        if (!IPAddress.TryParse(text, out var ip)) return false;
        range = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }
}
