using System.Net;
using Microsoft.Extensions.Options;

namespace OfferTrace.Enrichment.Ip;

/// <summary>
/// The client IP is the TCP peer, unless the peer is a trusted proxy: then it is the right-most address of
/// X-Forwarded-For (or Forwarded) that is not itself a trusted proxy. Addresses left of it are client claims.
/// </summary>
public sealed class ClientIpResolver(IOptions<NetworkOptions> options)
{
    private readonly IReadOnlyList<IPNetwork> _trusted = options.Value.ParsedTrustedProxies();

    public IPAddress Resolve(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);
        if (!IsTrusted(peer)) return peer;
        var hops = ForwardedChain(context.Request.Headers);
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) return peer;
            hop = Normalize(hop);
            if (!IsTrusted(hop)) return hop;
        }
        return peer;
    }

    public bool IsTrusted(IPAddress ip) => _trusted.Any(r => r.Contains(ip));

    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    private static List<string> ForwardedChain(IHeaderDictionary headers)
    {
        var chain = new List<string>();
        foreach (var value in headers["X-Forwarded-For"])
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) chain.Add(part);
        }
        if (chain.Count > 0) return chain;
        foreach (var value in headers["Forwarded"])
        {
            foreach (var element in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                foreach (var pair in element.Split(';', StringSplitOptions.TrimEntries))
                {
                    if (!pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase)) continue;
                    var node = pair[4..].Trim('"');
                    if (node.StartsWith('['))
                    {
                        var end = node.IndexOf(']');
                        node = node[1..(end > 0 ? end : node.Length)];
                    }
                    else if (node.Count(c => c == ':') == 1)
                        node = node[..node.IndexOf(':')];
                    chain.Add(node);
                }
            }
        }
        return chain;
    }
}
