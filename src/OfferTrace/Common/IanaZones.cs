using System.Collections.Concurrent;

namespace OfferTrace.Common;

/// <summary>
/// Time zones by IANA id, remembered after the first look-up. <see cref="TimeZoneInfo.FindSystemTimeZoneById"/> takes a
/// process-wide lock on every call, which every click event's rules and local time contended for under load. Only
/// known ids are remembered (a few hundred exist), so made-up ids cannot grow the cache.
/// </summary>
public static class IanaZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Known = new(StringComparer.Ordinal);

    public static bool TryFind(string id, out TimeZoneInfo zone)
    {
        if (Known.TryGetValue(id, out zone!)) return true;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found)) return false;
        zone = Known.GetOrAdd(id, found);
        return true;
    }

    public static bool IsKnown(string id) => TryFind(id, out _);
}
