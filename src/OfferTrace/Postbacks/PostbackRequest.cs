using System.Net;

namespace OfferTrace.Postbacks;

/// <summary>A network callback as received: what authentication looks at.</summary>
public sealed record PostbackRequest(
    IPAddress SourceIp, string Method, string BaseUrl, string PathAndQuery, IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Parameters, ReadOnlyMemory<byte> Body, string? TokenHeader, string? SignatureHeader);
