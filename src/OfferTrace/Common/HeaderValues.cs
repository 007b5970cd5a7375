using Microsoft.Extensions.Primitives;

namespace OfferTrace.Common;

public static class HeaderValues
{
    /// <summary>The header's first value, or null. Indexes <see cref="StringValues"/> directly: LINQ would box it on every request.</summary>
    public static string? FirstOrNull(this StringValues values) => values.Count > 0 ? values[0] : null;
}
