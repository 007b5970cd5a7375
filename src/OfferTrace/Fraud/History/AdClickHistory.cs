using System.Collections.Concurrent;

namespace OfferTrace.Fraud.History;

/// <summary>An address's paid clicks (distinct Google click ids) in the repeat-tier windows, this one included.</summary>
public sealed record AdClickFacts(int SameCampaignLastDay, int LastHours, int LastDay);

/// <summary>
/// The paid clicks of each public address over the last day, for the ad-click repeat tiers. A paid click is a new
/// Google click id (<c>gclid</c>, <c>gbraid</c> or <c>wbraid</c>): the conversion events of one visit share it and
/// count once. Keyed by event time, filled from the database at start, pruned with the other windows. Per address
/// only the newest clicks the largest tier needs are kept.
/// </summary>
public sealed class AdClickHistory(long shortWindowMs, int kept)
{
    private const long Day = 86_400_000;
    // One lock stripe per core (the default) made request threads queue behind each other's new addresses.
    private readonly ConcurrentDictionary<string, List<AdClick>> _byIp = new(concurrencyLevel: 64, capacity: 4096, StringComparer.Ordinal);
    private long _newest;

    /// <summary>Records a paid click (once per click id) and tells what the address did in the windows.</summary>
    public AdClickFacts Record(string ip, string clickId, string? campaign, long atMs)
    {
        if (atMs > Volatile.Read(ref _newest)) Interlocked.Exchange(ref _newest, atMs);
        var clicks = _byIp.GetOrAdd(ip, _ => []);
        lock (clicks)
        {
            if (!clicks.Any(c => c.ClickId == clickId))
            {
                var index = clicks.Count;
                while (index > 0 && clicks[index - 1].AtMs > atMs) index--;
                clicks.Insert(index, new AdClick(atMs, clickId, campaign));
                if (clicks.Count > kept) clicks.RemoveAt(0);
            }
            int sameCampaign = 0, lastHours = 0, lastDay = 0;
            foreach (var c in clicks)
            {
                if (c.AtMs > atMs || atMs - c.AtMs >= Day) continue;
                lastDay++;
                if (atMs - c.AtMs < shortWindowMs) lastHours++;
                if (string.Equals(c.Campaign, campaign, StringComparison.Ordinal)) sameCampaign++;
            }
            return new AdClickFacts(sameCampaign, lastHours, lastDay);
        }
    }

    public void Prune()
    {
        var newest = Volatile.Read(ref _newest);
        foreach (var (ip, clicks) in _byIp)
        {
            lock (clicks)
            {
                if (clicks.Count == 0 || newest - clicks[^1].AtMs > Day) _byIp.TryRemove(new KeyValuePair<string, List<AdClick>>(ip, clicks));
            }
        }
    }

    private readonly record struct AdClick(long AtMs, string ClickId, string? Campaign);
}
