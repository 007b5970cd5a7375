using System.Collections.Concurrent;

namespace OfferTrace.Fraud.History;

/// <summary>What the history knew when a click came in.</summary>
public sealed record ClickHistoryFacts(long AtMs, int ClicksFromIpLastMinute, long? PreviousSameUserOfferAt, IReadOnlyList<long> RecentIpIntervalsMs);

/// <summary>
/// Recent clicks in memory, for the rules that need history without a query per click: clicks per IP in the last
/// minute and the intervals between an IP's last clicks (floods, machine-regular timing), and each user's last click
/// per offer (duplicate clicks). Keyed by event time, so imports of past traffic judge as live traffic did; filled
/// from the database at start so a restart forgets nothing inside the windows. Only public addresses are kept per
/// address (the per-address rules skip the others), and for each only the newest clicks those rules can need: a flood
/// needs to be seen passing its limit, not counted to the end.
/// </summary>
public sealed class ClickHistory
{
    public const int IntervalsKept = 8;
    private static readonly long Minute = 60_000;
    private readonly ConcurrentDictionary<string, IpClicks> _byIp = new(StringComparer.Ordinal);
    // Each user's last click per offer, keyed by a 64-bit hash of the pair, in 64 slices by the hash's low bits.
    private const int PairSlices = 64;
    private readonly PairSlice[] _pairs = Enumerable.Range(0, PairSlices).Select(_ => new PairSlice()).ToArray();
    private readonly long _duplicateWindowMs;
    private readonly int _kept;
    private long _newest;

    /// <param name="duplicateWindowMs">How long a user's click on an offer is remembered.</param>
    /// <param name="floodLimit">The clicks a minute above which an address floods: one more is kept per address.</param>
    public ClickHistory(long duplicateWindowMs, int floodLimit)
    {
        _duplicateWindowMs = duplicateWindowMs;
        _kept = Math.Max(floodLimit + 1, IntervalsKept + 1);
    }

    /// <summary>Records a click; <paramref name="perAddress"/> false (a non-public address) leaves the per-address window alone.</summary>
    public ClickHistoryFacts Record(string ip, string userId, string offerId, long atMs, bool perAddress = true)
    {
        if (atMs > Volatile.Read(ref _newest)) Interlocked.Exchange(ref _newest, atMs);
        var lastMinute = 1;
        long[] intervals = [];
        if (perAddress)
        {
            var clicks = _byIp.GetOrAdd(ip, _ => new IpClicks(_kept));
            lock (clicks)
            {
                clicks.Add(atMs);
                lastMinute = clicks.CountSince(atMs - Minute);
                intervals = clicks.Intervals();
            }
        }
        var pair = PairKey(userId, offerId);
        var previous = _pairs[(int)(pair % PairSlices)].Record(pair, atMs, _duplicateWindowMs);
        return new ClickHistoryFacts(atMs, lastMinute, previous, intervals);
    }

    /// <summary>Two independent string hashes of the pair, as one 64-bit key: a false duplicate needs both to collide.</summary>
    private static ulong PairKey(string userId, string offerId) =>
        (ulong)(uint)HashCode.Combine(userId, offerId) << 32 | (uint)HashCode.Combine(offerId, userId, 0x5bd1e995);

    /// <summary>Forgets addresses no window can need any more (called on a timer; the user-offer pairs rotate by themselves).</summary>
    public void Prune()
    {
        var newest = Volatile.Read(ref _newest);
        foreach (var (ip, clicks) in _byIp)
        {
            lock (clicks)
            {
                if (newest - clicks.Newest > Minute * 60) _byIp.TryRemove(new KeyValuePair<string, IpClicks>(ip, clicks));
            }
        }
    }

    public int TrackedIps => _byIp.Count;

    /// <summary>
    /// A slice of the user-offer pairs with its own lock. Entries are structs in the dictionaries' arrays, not one object
    /// each, so a day of clicks adds no work to the garbage collector's marking; slicing keeps each array small, so that
    /// growing one copies a 64th of the pairs while only that slice's clicks wait (one dictionary of a million pairs
    /// stalled every click for its resize and put a 40 MB array on the large-object heap). Two generations: the current
    /// one and the one before; a rotation every window drops what no lookup can need.
    /// </summary>
    private sealed class PairSlice
    {
        private readonly Lock _lock = new();
        private Dictionary<ulong, long> _current = [];
        private Dictionary<ulong, long> _older = [];
        private long _rotatedAt = long.MinValue;

        /// <summary>Records the pair's click; returns the pair's previous click when it is within the window.</summary>
        public long? Record(ulong pair, long atMs, long windowMs)
        {
            lock (_lock)
            {
                if (_rotatedAt == long.MinValue) _rotatedAt = atMs;
                if (atMs - _rotatedAt >= windowMs)
                {
                    (_older, _current) = (_current, []);
                    _rotatedAt = atMs;
                }
                if (!_current.TryGetValue(pair, out var last) && !_older.TryGetValue(pair, out last))
                {
                    _current[pair] = atMs;
                    return null;
                }
                _current[pair] = Math.Max(last, atMs);
                return atMs >= last && atMs - last <= windowMs ? last : null;
            }
        }
    }

    /// <summary>An IP's newest click times in order, at most <c>kept</c> of them and none older than a minute before the newest (except the few the intervals need).</summary>
    private sealed class IpClicks(int kept)
    {
        private readonly List<long> _times = [];

        public long Newest => _times.Count == 0 ? long.MinValue : _times[^1];

        public void Add(long at)
        {
            var index = _times.Count;
            while (index > 0 && _times[index - 1] > at) index--;
            _times.Insert(index, at);
            var cutoff = _times[^1] - Minute;
            var drop = Math.Max(0, _times.Count - kept);
            while (drop < _times.Count - (IntervalsKept + 1) && _times[drop] < cutoff) drop++;
            if (drop > 0) _times.RemoveRange(0, drop);
        }

        public int CountSince(long from)
        {
            var index = _times.BinarySearch(from);
            if (index < 0) index = ~index;
            else while (index > 0 && _times[index - 1] == from) index--;
            return _times.Count - index;
        }

        public long[] Intervals()
        {
            var n = Math.Min(IntervalsKept, _times.Count - 1);
            var intervals = new long[Math.Max(0, n)];
            for (var i = 0; i < intervals.Length; i++) intervals[i] = _times[_times.Count - n + i] - _times[_times.Count - n + i - 1];
            return intervals;
        }
    }
}
