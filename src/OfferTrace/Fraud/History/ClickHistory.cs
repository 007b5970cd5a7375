using System.Collections.Concurrent;

namespace OfferTrace.Fraud.History;

/// <summary>What the history knew when a click came in.</summary>
public sealed record ClickHistoryFacts(long AtMs, int ClicksFromIpLastMinute, long? PreviousSameUserOfferAt, IReadOnlyList<long> RecentIpIntervalsMs);

/// <summary>
/// Recent clicks in memory, for the rules that need history without a query per click: clicks per IP in the last
/// minute and the intervals between an IP's last clicks (floods, machine-regular timing), and each user's last click
/// per offer (duplicate clicks). Keyed by event time, so imports of past traffic judge as live traffic did; filled
/// from the database at start so a restart forgets nothing inside the windows.
/// </summary>
public sealed class ClickHistory
{
    public const int IntervalsKept = 8;
    private static readonly long Minute = 60_000;
    private readonly ConcurrentDictionary<string, IpClicks> _byIp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Offer), long> _lastByUserOffer = new();
    private readonly long _duplicateWindowMs;
    private long _newest;

    public ClickHistory(long duplicateWindowMs) => _duplicateWindowMs = duplicateWindowMs;

    public ClickHistoryFacts Record(string ip, string userId, string offerId, long atMs)
    {
        if (atMs > Volatile.Read(ref _newest)) Interlocked.Exchange(ref _newest, atMs);
        var clicks = _byIp.GetOrAdd(ip, _ => new IpClicks());
        int lastMinute;
        long[] intervals;
        lock (clicks)
        {
            clicks.Add(atMs);
            lastMinute = clicks.CountSince(atMs - Minute);
            intervals = clicks.Intervals();
        }
        long? previous = null;
        _lastByUserOffer.AddOrUpdate((userId, offerId), atMs, (_, last) =>
        {
            if (atMs - last <= _duplicateWindowMs && atMs >= last) previous = last;
            return Math.Max(last, atMs);
        });
        return new ClickHistoryFacts(atMs, lastMinute, previous, intervals);
    }

    /// <summary>Forgets what no window can need any more (called on a timer).</summary>
    public void Prune()
    {
        var newest = Volatile.Read(ref _newest);
        foreach (var (key, last) in _lastByUserOffer)
        {
            if (newest - last > _duplicateWindowMs) _lastByUserOffer.TryRemove(new KeyValuePair<(string, string), long>(key, last));
        }
        foreach (var (ip, clicks) in _byIp)
        {
            lock (clicks)
            {
                if (newest - clicks.Newest > Minute * 60) _byIp.TryRemove(new KeyValuePair<string, IpClicks>(ip, clicks));
            }
        }
    }

    public int TrackedIps => _byIp.Count;

    /// <summary>An IP's recent click times, newest last; enough for a minute's count and the last intervals.</summary>
    private sealed class IpClicks
    {
        private readonly List<long> _times = [];

        public long Newest => _times.Count == 0 ? long.MinValue : _times[^1];

        public void Add(long at)
        {
            var index = _times.Count;
            while (index > 0 && _times[index - 1] > at) index--;
            _times.Insert(index, at);
            // Keep what a minute's count and the intervals need; a flood keeps at most a minute of clicks.
            var cutoff = _times[^1] - Minute;
            var drop = 0;
            while (drop < _times.Count - (IntervalsKept + 1) && _times[drop] < cutoff) drop++;
            if (drop > 0) _times.RemoveRange(0, drop);
        }

        public int CountSince(long from) => _times.Count(t => t >= from);

        public long[] Intervals()
        {
            var n = Math.Min(IntervalsKept, _times.Count - 1);
            var intervals = new long[Math.Max(0, n)];
            for (var i = 0; i < intervals.Length; i++) intervals[i] = _times[_times.Count - n + i] - _times[_times.Count - n + i - 1];
            return intervals;
        }
    }
}
