using System.Collections.Concurrent;

namespace OfferTrace.Fraud.History;

/// <summary>Where a user stands on a device, and how many devices the user used, inside the window.</summary>
public readonly record struct DeviceFacts(int UserRankOnDevice, int DevicesOfUser);

/// <summary>
/// Which user ids each device (fingerprint) carried lately and which devices each user used, in memory, filled from the
/// database at start: "several accounts on one device" asks for the rank of a user among the device's users, "many
/// devices per user" for the count of the user's devices.
/// </summary>
public sealed class DeviceHistory(long windowMs)
{
    private readonly RecentPairs _usersByDevice = new(windowMs);
    private readonly RecentPairs _devicesByUser = new(windowMs);

    public DeviceFacts Record(string deviceId, string userId, long atMs) =>
        new(_usersByDevice.Record(deviceId, userId, atMs).Rank, _devicesByUser.Record(userId, deviceId, atMs).Count);

    /// <summary>Forgets what no window can need any more before <paramref name="nowMs"/>.</summary>
    public void Prune(long nowMs)
    {
        _usersByDevice.Prune(nowMs);
        _devicesByUser.Prune(nowMs);
    }

    public int DistinctUsers(string deviceId) => _usersByDevice.Count(deviceId);

    /// <summary>For each key, the members seen with it inside the window, with when each was first and last seen.</summary>
    private sealed class RecentPairs(long windowMs)
    {
        private readonly ConcurrentDictionary<string, Dictionary<string, (long First, long Last)>> _byKey = new(StringComparer.Ordinal);

        /// <summary>Records the member and returns its rank by first appearance (1 = first) and the key's member count.</summary>
        public (int Rank, int Count) Record(string key, string member, long atMs)
        {
            var members = _byKey.GetOrAdd(key, _ => new Dictionary<string, (long, long)>(StringComparer.Ordinal));
            lock (members)
            {
                foreach (var stale in members.Where(m => atMs - m.Value.Last > windowMs).Select(m => m.Key).ToList()) members.Remove(stale);
                members[member] = members.TryGetValue(member, out var seen) ? (Math.Min(seen.First, atMs), Math.Max(seen.Last, atMs)) : (atMs, atMs);
                var first = members[member].First;
                var rank = 1 + members.Count(m => m.Key != member
                    && (m.Value.First < first || (m.Value.First == first && string.CompareOrdinal(m.Key, member) < 0)));
                return (rank, members.Count);
            }
        }

        public void Prune(long nowMs)
        {
            foreach (var (key, members) in _byKey)
            {
                lock (members)
                {
                    if (members.Values.All(m => nowMs - m.Last > windowMs))
                        _byKey.TryRemove(new KeyValuePair<string, Dictionary<string, (long, long)>>(key, members));
                }
            }
        }

        public int Count(string key)
        {
            if (!_byKey.TryGetValue(key, out var members)) return 0;
            lock (members) return members.Count;
        }
    }
}
