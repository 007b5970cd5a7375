using System.Net;
using Dapper;
using OfferTrace.Common;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Storage;

namespace OfferTrace.Fraud.Blocklist;

public sealed record BlocklistEntry(string EntryId, string Kind, string Value, string? Reason, string Source, long CreatedAt, long? ExpiresAt)
{
    public const string Ip = "ip";
    public const string Device = "device";

    public bool ActiveAt(long atMs) => ExpiresAt is null || ExpiresAt > atMs;
}

/// <summary>
/// Blocked addresses, ranges and device ids, held in memory for the hot path (a range look-up and a dictionary
/// look-up) and reloaded from the database after every change. Expired entries stop matching at their expiry.
/// </summary>
public sealed class Blocklist(Database database, TimeProvider time)
{
    private volatile Snapshot _current = Snapshot.Empty;
    private readonly Lock _rememberLock = new();

    public IReadOnlyList<BlocklistEntry> Entries => _current.Entries;

    /// <summary>The entry that blocks this address or device at this time, if any.</summary>
    public BlocklistEntry? Find(string? ip, string? deviceId, long atMs)
    {
        var snapshot = _current;
        if (snapshot.Entries.Count == 0) return null;
        if (ip is not null && IPAddress.TryParse(ip, out var address) && snapshot.Ranges.TryFind(IpKey.From(address), out var byIp) && byIp.ActiveAt(atMs))
            return byIp;
        if (deviceId is not null && snapshot.Devices.TryGetValue(deviceId, out var byDevice) && byDevice.ActiveAt(atMs)) return byDevice;
        return null;
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = (await c.QueryAsync("SELECT entry_id, kind, value, reason, source, created_at, expires_at FROM blocklist ORDER BY created_at, entry_id"))
            .Select(DbRow.From)
            .Select(r => new BlocklistEntry(r.Str("entry_id"), r.Str("kind"), r.Str("value"), r.StrOrNull("reason"), r.Str("source"), r.Long("created_at"),
                r.LongOrNull("expires_at")))
            .ToList();
        lock (_rememberLock) _current = Build(rows);
    }

    private static Snapshot Build(List<BlocklistEntry> rows)
    {
        var ranges = new IpRangeMap<BlocklistEntry>.Builder();
        var devices = new Dictionary<string, BlocklistEntry>(StringComparer.Ordinal);
        foreach (var entry in rows)
        {
            if (entry.Kind == BlocklistEntry.Ip && IpKey.TryParseRange(entry.Value, out var first, out var last)) ranges.Add(first, last, entry);
            else if (entry.Kind == BlocklistEntry.Device) devices[entry.Value] = entry;
        }
        return new Snapshot(rows, ranges.Build(), devices);
    }

    /// <summary>Adds an entry; null when the same kind and value is already listed.</summary>
    public async Task<BlocklistEntry?> AddAsync(string kind, string value, string? reason, string source, long? expiresAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var entry = new BlocklistEntry(Ids.New(Ids.BlocklistEntry, now), kind, value, reason, source, Timestamps.ToMs(now), expiresAt);
        await using (var c = await database.OpenAsync(ct))
        {
            var inserted = await c.ExecuteAsync(
                "INSERT INTO blocklist (entry_id, kind, value, reason, source, created_at, expires_at) " +
                "VALUES (@EntryId, @Kind, @Value, @Reason, @Source, @CreatedAt, @ExpiresAt) ON CONFLICT (kind, value) DO NOTHING", entry);
            if (inserted == 0) return null;
        }
        await ReloadAsync(ct);
        return entry;
    }

    /// <summary>
    /// The statement a rule queues in its event's transaction to block by itself (e.g. after a honeypot hit): a new entry,
    /// or a later expiry for an entry the same rule made; entries made by hand are left as they are.
    /// </summary>
    public static readonly SqlStatement RuleUpsert = SqlStatement.Insert("blocklist", "entry_id, kind, value, reason, source, created_at, expires_at",
        "ON CONFLICT (kind, value) DO UPDATE SET expires_at = excluded.expires_at, reason = excluded.reason " +
        "WHERE blocklist.source = excluded.source AND blocklist.expires_at IS NOT NULL AND blocklist.expires_at < excluded.expires_at");

    /// <summary>Applies a committed <see cref="RuleUpsert"/> to the in-memory look-up, with the same rule as the statement.</summary>
    public void Remember(BlocklistEntry entry)
    {
        lock (_rememberLock)
        {
            var entries = _current.Entries.ToList();
            var index = entries.FindIndex(e => e.Kind == entry.Kind && e.Value == entry.Value);
            if (index < 0) entries.Add(entry);
            else if (entries[index] is { ExpiresAt: { } old } existing && existing.Source == entry.Source && old < entry.ExpiresAt)
                entries[index] = existing with { ExpiresAt = entry.ExpiresAt, Reason = entry.Reason };
            else return;
            _current = Build(entries);
        }
    }

    public async Task<bool> RemoveAsync(string entryId, CancellationToken ct)
    {
        await using (var c = await database.OpenAsync(ct))
        {
            if (await c.ExecuteAsync("DELETE FROM blocklist WHERE entry_id = @entryId", new { entryId }) == 0) return false;
        }
        await ReloadAsync(ct);
        return true;
    }

    private sealed record Snapshot(IReadOnlyList<BlocklistEntry> Entries, IpRangeMap<BlocklistEntry> Ranges, Dictionary<string, BlocklistEntry> Devices)
    {
        public static readonly Snapshot Empty = new([], IpRangeMap<BlocklistEntry>.Empty, new Dictionary<string, BlocklistEntry>());
    }
}
