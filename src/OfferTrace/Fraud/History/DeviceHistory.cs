using System.Collections.Concurrent;

namespace OfferTrace.Fraud.History;

/// <summary>
/// Which user ids each device (fingerprint) carried lately, in memory, filled from the database at start: the
/// "several accounts on one device" rule asks for the rank of a user among the device's users in the window.
/// </summary>
public sealed class DeviceHistory(long windowMs)
{
    private readonly ConcurrentDictionary<string, Dictionary<string, (long First, long Last)>> _byDevice = new(StringComparer.Ordinal);

    /// <summary>Records the user on the device and returns the user's rank by first appearance among the device's users in the window (1 = first).</summary>
    public int Record(string deviceId, string userId, long atMs)
    {
        var users = _byDevice.GetOrAdd(deviceId, _ => new Dictionary<string, (long, long)>(StringComparer.Ordinal));
        lock (users)
        {
            foreach (var stale in users.Where(u => atMs - u.Value.Last > windowMs).Select(u => u.Key).ToList()) users.Remove(stale);
            users[userId] = users.TryGetValue(userId, out var seen) ? (Math.Min(seen.First, atMs), Math.Max(seen.Last, atMs)) : (atMs, atMs);
            var first = users[userId].First;
            return 1 + users.Count(u => u.Key != userId && (u.Value.First < first || (u.Value.First == first && string.CompareOrdinal(u.Key, userId) < 0)));
        }
    }

    /// <summary>Forgets devices none of whose users was seen inside the window before <paramref name="nowMs"/>.</summary>
    public void Prune(long nowMs)
    {
        foreach (var (device, users) in _byDevice)
        {
            lock (users)
            {
                if (users.Values.All(u => nowMs - u.Last > windowMs)) _byDevice.TryRemove(new KeyValuePair<string, Dictionary<string, (long, long)>>(device, users));
            }
        }
    }

    public int DistinctUsers(string deviceId)
    {
        if (!_byDevice.TryGetValue(deviceId, out var users)) return 0;
        lock (users) return users.Count;
    }
}
