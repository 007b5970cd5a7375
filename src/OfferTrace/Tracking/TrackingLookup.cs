using Dapper;
using Microsoft.Extensions.Caching.Memory;
using OfferTrace.Common;
using OfferTrace.Storage;
using OfferTrace.Tracking.Sessions;

namespace OfferTrace.Tracking;

/// <summary>
/// Finds committed sessions, impressions and clicks: recent ones from memory (filled after each commit),
/// older ones from storage. An import's own queued events are found through its <see cref="PendingEvents"/>.
/// </summary>
public sealed class TrackingLookup(Database database)
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 500_000 });
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromHours(2) };

    public void Remember(string id, object info) => _cache.Set(id, info, Entry);

    public async ValueTask<SessionInfo?> SessionAsync(string id, PendingEvents? pending, CancellationToken ct)
    {
        if (pending?.Sessions.TryGetValue(id, out var p) == true) return p;
        if (_cache.TryGetValue(id, out SessionInfo? s)) return s;
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync("SELECT * FROM offerwall_sessions_detailed WHERE session_id = @id", new { id });
        if (row is null) return null;
        s = SessionRows.ToInfo(DbRow.From(row));
        Remember(id, s);
        return s;
    }

    public async ValueTask<ImpressionInfo?> ImpressionAsync(string id, PendingEvents? pending, CancellationToken ct)
    {
        if (pending?.Impressions.TryGetValue(id, out var p) == true) return p;
        if (_cache.TryGetValue(id, out ImpressionInfo? i)) return i;
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync(
            "SELECT impression_id, created_at, session_id, offer_id FROM offerwall_impressions_detailed WHERE impression_id = @id", new { id });
        if (row is null) return null;
        var r = DbRow.From(row);
        i = new ImpressionInfo(r.Str("impression_id"), r.Long("created_at"), r.Str("session_id"), r.Str("offer_id"));
        Remember(id, i);
        return i;
    }

    public async ValueTask<ClickInfo?> ClickAsync(string id, PendingEvents? pending, CancellationToken ct)
    {
        if (pending?.Clicks.TryGetValue(id, out var p) == true) return p;
        if (_cache.TryGetValue(id, out ClickInfo? k)) return k;
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync(
            """
            SELECT k.click_id, k.created_at, k.session_id, s.created_at AS session_created_at, k.user_id, k.publisher_id, k.placement_id,
                   k.sub_id, k.offer_id, k.network_id, k.device_type, k.country_code, k.ip, k.fraud_status, k.fraud_score
            FROM offerwall_clicks_detailed k JOIN offerwall_sessions_detailed s ON s.session_id = k.session_id
            WHERE k.click_id = @id
            """, new { id });
        if (row is null) return null;
        var r = DbRow.From(row);
        k = new ClickInfo(r.Str("click_id"), r.Long("created_at"), r.Str("session_id"), r.Long("session_created_at"), r.Str("user_id"),
            r.Str("publisher_id"), r.Str("placement_id"), r.StrOrNull("sub_id"), r.Str("offer_id"), r.Str("network_id"),
            r.StrOrNull("device_type"), r.StrOrNull("country_code"), r.Str("ip"), r.Str("fraud_status"), r.Int("fraud_score"));
        Remember(id, k);
        return k;
    }

    /// <summary>Whether the click already has a conversion, and whether the user already converted the offer.</summary>
    public async Task<(bool ClickConverted, bool UserConvertedOffer)> PriorConversionsAsync(ClickInfo click, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var clickConverted = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM offerwall_conversions_detailed WHERE click_id = @ClickId", new { click.ClickId }) > 0;
        var userConverted = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM offerwall_conversions_detailed WHERE publisher_id = @PublisherId AND user_id = @UserId AND offer_id = @OfferId",
            new { click.PublisherId, click.UserId, click.OfferId }) > 0;
        return (clickConverted, userConverted);
    }
}
