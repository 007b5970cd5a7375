using System.Security.Cryptography;
using System.Text;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;

namespace OfferTrace.Postbacks;

/// <summary>Checks a callback against its network's scheme and IP allowlist; signatures are compared in constant time.</summary>
public static class PostbackAuthenticator
{
    /// <returns>Null when authenticated, else the reason of the refusal.</returns>
    public static string? Check(Network network, PostbackRequest request)
    {
        if (network.AllowedIps.Count > 0 && !network.AllowedIps.Any(range => NetworkOptions.ParseRange(range).Contains(request.SourceIp)))
            return $"IP {request.SourceIp} is not in the network's allowed_ips.";
        return network.AuthScheme switch
        {
            AuthSchemes.Token => CheckToken(network, request),
            AuthSchemes.HmacBody => Expect(Hmac(new HMACSHA256(Key(network)), request.Body.Span), StripPrefix(request.SignatureHeader), "X-OfferTrace-Signature"),
            AuthSchemes.HmacSortedQuery => Expect(Hmac(new HMACSHA256(Key(network)), Encoding.UTF8.GetBytes(SortedQuery(request.Query))),
                request.Query.GetValueOrDefault("sig") ?? StripPrefix(request.SignatureHeader), "sig"),
            AuthSchemes.HashConcat => Expect(HashConcat(network, request.Parameters), request.Parameters.GetValueOrDefault("sig"), "sig"),
            AuthSchemes.HmacUrl => Expect(Hmac(new HMACSHA1(Key(network)), Encoding.UTF8.GetBytes(UrlWithoutHash(request))),
                request.Query.GetValueOrDefault("hash"), "hash"),
            _ => $"Unknown auth_scheme '{network.AuthScheme}'.",
        };
    }

    private static string? CheckToken(Network network, PostbackRequest request)
    {
        var given = request.Query.GetValueOrDefault("token") ?? request.TokenHeader;
        if (given is null) return "No token: send the 'token' query parameter or the X-OfferTrace-Token header.";
        var expected = Hashing.Sha256Hex(network.PostbackToken ?? "");
        return Hashing.FixedTimeEqualsHex(expected, Hashing.Sha256Hex(given)) ? null : "The token is wrong.";
    }

    private static string? Expect(string expected, string? given, string where) =>
        given is null ? $"No signature in {where}." : Hashing.FixedTimeEqualsHex(expected, given) ? null : $"The signature in {where} does not match.";

    private static byte[] Key(Network network) => Encoding.UTF8.GetBytes(network.PostbackSecret ?? "");

    private static string Hmac(HMAC hmac, ReadOnlySpan<byte> data)
    {
        using (hmac) return Convert.ToHexStringLower(hmac.ComputeHash(data.ToArray()));
    }

    private static string? StripPrefix(string? signature) =>
        signature is not null && signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) ? signature[7..] : signature;

    /// <summary>Every query parameter but <c>sig</c>, URL-decoded, sorted by name (ordinal), <c>name=value</c> joined by <c>&amp;</c>.</summary>
    public static string SortedQuery(IReadOnlyDictionary<string, string> query) =>
        string.Join('&', query.Where(p => p.Key != "sig").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>MD5 or SHA-256 of the configured fields' values, then the secret, joined by the separator.</summary>
    public static string HashConcat(Network network, IReadOnlyDictionary<string, string> parameters)
    {
        var parts = network.HashFields.Select(f => parameters.GetValueOrDefault(f) ?? "").Append(network.PostbackSecret ?? "");
        var bytes = Encoding.UTF8.GetBytes(string.Join(network.HashSeparator, parts));
        return Convert.ToHexStringLower(network.HashAlgorithm == "sha256" ? SHA256.HashData(bytes) : MD5.HashData(bytes));
    }

    /// <summary>The URL the network called, as on the request line, without its <c>hash</c> parameter.</summary>
    public static string UrlWithoutHash(PostbackRequest request)
    {
        var pathAndQuery = request.PathAndQuery;
        var q = pathAndQuery.IndexOf('?');
        if (q < 0) return request.BaseUrl + pathAndQuery;
        var kept = pathAndQuery[(q + 1)..].Split('&').Where(p => !p.StartsWith("hash=", StringComparison.Ordinal) && p != "hash");
        var query = string.Join('&', kept);
        return request.BaseUrl + pathAndQuery[..q] + (query.Length > 0 ? "?" + query : "");
    }
}
