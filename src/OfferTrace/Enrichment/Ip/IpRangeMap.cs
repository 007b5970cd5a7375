namespace OfferTrace.Enrichment.Ip;

/// <summary>
/// Non-overlapping address ranges with a value each, for IPv4 and IPv6, found by binary search over sorted starts:
/// O(log n) per look-up and two arrays per family, fast for millions of ranges. Built once, then read-only.
/// </summary>
public sealed class IpRangeMap<T>
{
    private readonly Family _v4;
    private readonly Family _v6;

    private IpRangeMap(Family v4, Family v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    public static IpRangeMap<T> Empty { get; } = new Builder().Build();

    public int Count => _v4.Starts.Length + _v6.Starts.Length;

    public bool TryFind(IpKey ip, out T value)
    {
        var family = ip.IsV4 ? _v4 : _v6;
        var index = Array.BinarySearch(family.Starts, ip.Value);
        if (index < 0) index = ~index - 1;
        if (index >= 0 && ip.Value <= family.Ends[index])
        {
            value = family.Values[index];
            return true;
        }
        value = default!;
        return false;
    }

    private sealed record Family(UInt128[] Starts, UInt128[] Ends, T[] Values);

    /// <summary>Collects ranges in any order. Where ranges overlap, the one that starts first keeps the overlap (on equal starts, the one added first).</summary>
    public sealed class Builder
    {
        private readonly List<(UInt128 Start, UInt128 End, int Order, T Value)> _v4 = [];
        private readonly List<(UInt128 Start, UInt128 End, int Order, T Value)> _v6 = [];

        public int Count => _v4.Count + _v6.Count;

        public void Add(IpKey first, IpKey last, T value)
        {
            if (first.IsV4 != last.IsV4 || first.Value > last.Value) return;
            var list = first.IsV4 ? _v4 : _v6;
            list.Add((first.Value, last.Value, list.Count, value));
        }

        public IpRangeMap<T> Build() => new(Flatten(_v4), Flatten(_v6));

        private static Family Flatten(List<(UInt128 Start, UInt128 End, int Order, T Value)> ranges)
        {
            ranges.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Order.CompareTo(b.Order));
            var starts = new List<UInt128>(ranges.Count);
            var ends = new List<UInt128>(ranges.Count);
            var values = new List<T>(ranges.Count);
            foreach (var (start, end, _, value) in ranges)
            {
                var from = start;
                if (ends.Count > 0 && from <= ends[^1])
                {
                    // Overlap: keep what is already there, add only the part past it.
                    if (end <= ends[^1]) continue;
                    from = ends[^1] + 1;
                }
                starts.Add(from);
                ends.Add(end);
                values.Add(value);
            }
            return new Family([.. starts], [.. ends], [.. values]);
        }
    }
}
