using System.Globalization;
using System.Text.Json;
using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Catalog;

/// <summary>Reads and writes the catalogue tables. Catalogue writes are rare and go straight to storage.</summary>
public sealed class CatalogStore(Database database)
{
    public async Task<CatalogSnapshot> LoadAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var publishers = (await c.QueryAsync("SELECT * FROM publishers WHERE status <> 'deleted'")).Select(r => ToPublisher(DbRow.From((object)r)));
        var placements = (await c.QueryAsync("SELECT * FROM placements")).Select(r => ToPlacement(DbRow.From((object)r)));
        var networks = (await c.QueryAsync("SELECT * FROM networks")).Select(r => ToNetwork(DbRow.From((object)r)));
        var offers = (await c.QueryAsync("SELECT * FROM offers WHERE status <> 'deleted'")).Select(r => ToOffer(DbRow.From((object)r)));
        var sites = (await c.QueryAsync("SELECT * FROM sites WHERE status <> 'deleted'")).Select(r => ToSite(DbRow.From((object)r)));
        return new CatalogSnapshot(publishers, placements, networks, offers, sites);
    }

    /// <summary>Inserts a new row; false when the id is taken.</summary>
    public async Task<bool> InsertAsync(string table, IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        var columns = string.Join(", ", values.Keys);
        var parameters = string.Join(", ", values.Keys.Select(k => "@" + k));
        await using var c = await database.OpenAsync(ct);
        try
        {
            await c.ExecuteAsync($"INSERT INTO {table} ({columns}) VALUES ({parameters})", Parameters(values));
            return true;
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Updates the row with the given id; false when there is none (or it was deleted).</summary>
    public async Task<bool> UpdateAsync(string table, string idColumn, IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        var sets = string.Join(", ", values.Keys.Where(k => k != idColumn && k != "created_at").Select(k => $"{k} = @{k}"));
        await using var c = await database.OpenAsync(ct);
        var live = values.ContainsKey("status") ? " AND status <> 'deleted'" : "";
        var changed = await c.ExecuteAsync($"UPDATE {table} SET {sets} WHERE {idColumn} = @{idColumn}{live}", Parameters(values));
        return changed > 0;
    }

    /// <summary>Marks a row deleted: events keep referring to it, new traffic no longer can.</summary>
    public async Task<DeleteResult> DeleteAsync(string table, string idColumn, string id, long now, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var changed = await c.ExecuteAsync(
            $"UPDATE {table} SET status = 'deleted', updated_at = @now WHERE {idColumn} = @id AND status <> 'deleted'", new { id, now });
        return changed > 0 ? DeleteResult.Deleted : DeleteResult.NotFound;
    }

    public async Task<DeleteResult> DeletePlacementAsync(string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.ExecuteAsync("DELETE FROM placements WHERE placement_id = @id", new { id }) > 0 ? DeleteResult.Deleted : DeleteResult.NotFound;
    }

    /// <summary>A network that offers still name (deleted ones included, for their history) cannot go.</summary>
    public async Task<DeleteResult> DeleteNetworkAsync(string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM offers WHERE network_id = @id", new { id }) > 0) return DeleteResult.InUse;
        return await c.ExecuteAsync("DELETE FROM networks WHERE network_id = @id", new { id }) > 0 ? DeleteResult.Deleted : DeleteResult.NotFound;
    }

    private static DynamicParameters Parameters(IReadOnlyDictionary<string, object?> values)
    {
        var p = new DynamicParameters();
        foreach (var (k, v) in values) p.Add(k, v);
        return p;
    }

    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static Publisher ToPublisher(DbRow r) => new(
        r.Str("publisher_id"), r.Str("name"), r.Dec("commission_percent"), r.Dec("user_reward_percent"), r.Long("points_per_currency_unit"),
        r.StrOrNull("postback_url"), r.StrOrNull("postback_secret"), r.Str("status"), r.Long("created_at"), r.Long("updated_at"))
    {
        PostbackMode = r.Str("postback_mode"), PreviousSecret = r.StrOrNull("postback_secret_previous"),
        PreviousSecretUntil = r.LongOrNull("postback_secret_previous_until"),
    };

    private static Placement ToPlacement(DbRow r) => new(
        r.Str("placement_id"), r.Str("publisher_id"), r.Str("name"), r.Str("kind"), r.Long("created_at"), r.Long("updated_at"));

    private static Network ToNetwork(DbRow r) => new(
        r.Str("network_id"), r.Str("name"), r.Str("auth_scheme"), r.StrOrNull("postback_token"), r.StrOrNull("postback_secret"),
        r.StrOrNull("hash_algorithm"), r.Json<string[]>("hash_fields"), r.Str("hash_separator"), r.Json<string[]>("allowed_ips"),
        r.Json<Dictionary<string, string>>("param_map"), r.Json<Dictionary<string, string>>("status_map"), r.Long("created_at"), r.Long("updated_at"));

    private static Site ToSite(DbRow r) => new(
        r.Str("site_id"), r.Str("name"), r.Json<string[]>("allowed_origins"), r.Str("currency"), r.Str("time_zone"),
        r.Json<Dictionary<string, SiteConversion>>("conversions"), r.Str("status"), r.Long("created_at"), r.Long("updated_at"));

    private static Offer ToOffer(DbRow r) => new(
        r.Str("offer_id"), r.Str("name"), r.StrOrNull("category"), r.Str("network_id"), r.StrOrNull("advertiser"), r.Money("payout"),
        r.Str("currency"), r.Str("url"), r.Json<string[]>("countries"), r.Json<string[]>("device_types"), r.LongOrNull("daily_cap"),
        r.DecOrNull("user_reward_percent"), r.DecOrNull("commission_percent"), r.Int("hold_days"), r.Str("status"), r.Long("created_at"),
        r.Long("updated_at"))
    {
        Caps = r.Json<Caps.OfferCaps>("caps").WithDailyConversions(r.LongOrNull("daily_cap")),
    };
}

public enum DeleteResult
{
    Deleted,
    NotFound,
    InUse,
}
