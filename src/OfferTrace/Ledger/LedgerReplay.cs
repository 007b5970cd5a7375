using System.Globalization;
using System.Text.Json;
using Dapper;
using OfferTrace.Analytics;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// Rebuilds every derived figure from what is appended and compares it with what is stored: each user's balances from
/// the points entries; each conversion's points, earning and payout from its entries (credited conversions carry their
/// amounts, all others net zero) and its three parts against its payout; each accepted network callback against the
/// conversion it created (network, transaction, payout as the callback said it, after the network's parameter names);
/// each redemption against its entries; and the hourly rollups against the raw events. A database written only by
/// OfferTrace shows no difference; a row changed by hand shows up by its id.
/// </summary>
public sealed class LedgerReplay(Database database, CatalogCache catalog)
{
    private const int MaxReported = 1000;

    public async Task<ReplayReport> RunAsync(CancellationToken ct)
    {
        var differences = new List<ReplayDifference>();
        var found = 0;
        void Add(string kind, string id, string field, object? stored, object? rebuilt)
        {
            found++;
            if (differences.Count < MaxReported) differences.Add(new ReplayDifference(kind, id, field, stored?.ToString(), rebuilt?.ToString()));
        }

        await using var connection = await database.OpenAsync(ct);
        // One moment of the database for every table read: a live server's commits between two reads are not differences.
        await using var tx = await database.BeginSnapshotAsync(connection, ct);
        var c = new Snapshot(connection, tx);
        var users = await BalancesAsync(c, Add);
        var conversions = await ConversionsAsync(c, Add);
        var callbacks = await CallbacksAsync(c, Add);
        var redemptions = await RedemptionsAsync(c, Add);
        await OrphansAsync(c, Add);
        var rollups = await AnalyticsQueries.CheckRollupsAsync(connection, tx);
        foreach (var d in rollups.Differences) Add("rollup", d.Key, "counters", d.Stored, d.Recounted);
        return new ReplayReport(new ReplayCounts(users, conversions, callbacks, redemptions), found, differences);
    }

    private static async Task<long> BalancesAsync(Snapshot c, Action<string, string, string, object?, object?> add)
    {
        var rebuilt = (await c.QueryAsync(
                "SELECT publisher_id, user_id, SUM(points) AS total, SUM(CASE WHEN balance = 'available' THEN points ELSE 0 END) AS available, " +
                "SUM(CASE WHEN balance = 'pending' THEN points ELSE 0 END) AS pending, SUM(CASE WHEN balance = 'redeemed' THEN points ELSE 0 END) AS redeemed " +
                "FROM user_points_transactions GROUP BY publisher_id, user_id"))
            .Select(x => DbRow.From((object)x))
            .ToDictionary(r => (r.Str("publisher_id"), r.Str("user_id")), r => (r.Long("total"), r.Long("available"), r.Long("pending"), r.Long("redeemed")));
        var stored = (await c.QueryAsync("SELECT publisher_id, user_id, total_points, available_points, pending_points, redeemed_points FROM user_points"))
            .Select(x => DbRow.From((object)x))
            .ToDictionary(r => (r.Str("publisher_id"), r.Str("user_id")),
                r => (r.Long("total_points"), r.Long("available_points"), r.Long("pending_points"), r.Long("redeemed_points")));
        foreach (var key in rebuilt.Keys.Union(stored.Keys).Order())
        {
            var id = $"{key.Item1}/{key.Item2}";
            var (s, b) = (stored.GetValueOrDefault(key), rebuilt.GetValueOrDefault(key));
            if (s.Item1 != b.Item1) add("user_points", id, "total_points", s.Item1, b.Item1);
            if (s.Item2 != b.Item2) add("user_points", id, "available_points", s.Item2, b.Item2);
            if (s.Item3 != b.Item3) add("user_points", id, "pending_points", s.Item3, b.Item3);
            if (s.Item4 != b.Item4) add("user_points", id, "redeemed_points", s.Item4, b.Item4);
        }
        return stored.Count;
    }

    private static async Task<long> ConversionsAsync(Snapshot c, Action<string, string, string, object?, object?> add)
    {
        var rows = await c.QueryAsync(
            "SELECT v.conversion_id, v.status, v.points, v.network_payout, v.user_reward, v.publisher_commission, v.platform_revenue, " +
            "COALESCE((SELECT SUM(t.points) FROM user_points_transactions t WHERE t.conversion_id = v.conversion_id AND t.balance = 'available'), 0) AS available, " +
            "COALESCE((SELECT SUM(t.points) FROM user_points_transactions t WHERE t.conversion_id = v.conversion_id AND t.balance = 'pending'), 0) AS pending, " +
            "COALESCE((SELECT SUM(e.earnings) FROM publisher_earnings e WHERE e.conversion_id = v.conversion_id), 0) AS earnings, " +
            "COALESCE((SELECT SUM(p.payout) FROM network_payouts p WHERE p.conversion_id = v.conversion_id), 0) AS payouts, " +
            "COALESCE((SELECT SUM(e.earnings_base) FROM publisher_earnings e WHERE e.conversion_id = v.conversion_id), 0) AS earnings_base, " +
            "COALESCE((SELECT SUM(p.payout_base) FROM network_payouts p WHERE p.conversion_id = v.conversion_id), 0) AS payouts_base, " +
            "v.publisher_commission_base, v.network_payout_base " +
            "FROM offerwall_conversions_detailed v");
        long count = 0;
        foreach (var r in rows.Select(x => DbRow.From((object)x)))
        {
            count++;
            var id = r.Str("conversion_id");
            var status = r.Str("status");
            var (payout, reward, commission, platform) = (r.Long("network_payout"), r.Long("user_reward"), r.Long("publisher_commission"), r.Long("platform_revenue"));
            if (reward + commission + platform != payout) add("conversion", id, "user_reward + publisher_commission + platform_revenue", reward + commission + platform, payout);
            var credited = status is "approved" or "pending";
            var points = r.Long("points");
            if (r.Long("available") != (status == "approved" ? points : 0)) add("conversion", id, "available points entries", r.Long("available"), status == "approved" ? points : 0);
            if (r.Long("pending") != (status == "pending" ? points : 0)) add("conversion", id, "pending points entries", r.Long("pending"), status == "pending" ? points : 0);
            if (r.Long("earnings") != (credited ? commission : 0)) add("conversion", id, "publisher_earnings", r.Long("earnings"), credited ? commission : 0);
            if (r.Long("payouts") != (credited ? payout : 0)) add("conversion", id, "network_payouts", r.Long("payouts"), credited ? payout : 0);
            var (commissionBase, payoutBase) = (r.Long("publisher_commission_base"), r.Long("network_payout_base"));
            if (r.Long("earnings_base") != (credited ? commissionBase : 0)) add("conversion", id, "publisher_earnings (base)", r.Long("earnings_base"), credited ? commissionBase : 0);
            if (r.Long("payouts_base") != (credited ? payoutBase : 0)) add("conversion", id, "network_payouts (base)", r.Long("payouts_base"), credited ? payoutBase : 0);
        }
        return count;
    }

    private async Task<long> CallbacksAsync(Snapshot c, Action<string, string, string, object?, object?> add)
    {
        var rows = await c.QueryAsync(
            "SELECT b.callback_id, b.network_id, b.url, b.body, b.transaction_id, b.conversion_id, v.network_id AS conversion_network, " +
            "v.transaction_id AS conversion_transaction, v.network_payout, v.currency FROM raw_callbacks b " +
            "LEFT JOIN offerwall_conversions_detailed v ON v.conversion_id = b.conversion_id WHERE b.outcome = 'accepted'");
        long count = 0;
        foreach (var r in rows.Select(x => DbRow.From((object)x)))
        {
            count++;
            var id = r.Str("callback_id");
            if (r.StrOrNull("conversion_network") is null)
            {
                add("callback", id, "conversion", r.StrOrNull("conversion_id"), "(missing)");
                continue;
            }
            if (r.StrOrNull("network_id") != r.Str("conversion_network")) add("callback", id, "network_id", r.Str("conversion_network"), r.StrOrNull("network_id"));
            if (r.StrOrNull("transaction_id") != r.Str("conversion_transaction"))
                add("callback", id, "transaction_id", r.Str("conversion_transaction"), r.StrOrNull("transaction_id"));
            var network = catalog.Current.Networks.GetValueOrDefault(r.Str("conversion_network"));
            if (PayoutOf(r.Str("url"), r.StrOrNull("body"), network) is { } said && Money.ToUnits(said) != r.Long("network_payout"))
                add("callback", id, "network_payout", Money.FromUnits(r.Long("network_payout")).ToString(CultureInfo.InvariantCulture), said.ToString(CultureInfo.InvariantCulture));
        }
        return count;
    }

    private static async Task<long> RedemptionsAsync(Snapshot c, Action<string, string, string, object?, object?> add)
    {
        var rows = await c.QueryAsync(
            "SELECT r.redemption_id, r.points, " +
            "COALESCE((SELECT SUM(t.points) FROM user_points_transactions t WHERE t.redemption_id = r.redemption_id AND t.balance = 'redeemed'), 0) AS redeemed, " +
            "COALESCE((SELECT SUM(t.points) FROM user_points_transactions t WHERE t.redemption_id = r.redemption_id AND t.balance = 'available'), 0) AS taken " +
            "FROM points_redemptions r");
        long count = 0;
        foreach (var r in rows.Select(x => DbRow.From((object)x)))
        {
            count++;
            if (r.Long("redeemed") != r.Long("points")) add("redemption", r.Str("redemption_id"), "redeemed entries", r.Long("redeemed"), r.Long("points"));
            if (r.Long("taken") != -r.Long("points")) add("redemption", r.Str("redemption_id"), "available entries", r.Long("taken"), -r.Long("points"));
        }
        return count;
    }

    /// <summary>Entries whose conversion or redemption is gone: money that nothing explains.</summary>
    private static async Task OrphansAsync(Snapshot c, Action<string, string, string, object?, object?> add)
    {
        const string Missing = "(no such conversion)";
        foreach (var (table, idColumn) in new[] { ("user_points_transactions", "transaction_id"), ("publisher_earnings", "earning_id"), ("network_payouts", "payout_id") })
        {
            foreach (var id in await c.QueryAsync<string>(
                         $"SELECT x.{idColumn} FROM {table} x WHERE x.conversion_id IS NOT NULL AND NOT EXISTS " +
                         $"(SELECT 1 FROM offerwall_conversions_detailed v WHERE v.conversion_id = x.conversion_id) LIMIT {MaxReported}"))
                add(table, id, "conversion_id", Missing, null);
        }
        foreach (var id in await c.QueryAsync<string>(
                     "SELECT x.transaction_id FROM user_points_transactions x WHERE x.redemption_id IS NOT NULL AND NOT EXISTS " +
                     $"(SELECT 1 FROM points_redemptions r WHERE r.redemption_id = x.redemption_id) LIMIT {MaxReported}"))
            add("user_points_transactions", id, "redemption_id", "(no such redemption)", null);
    }

    /// <summary>The payout a stored callback named, read as the live route reads it (query, form or JSON body; the network's names).</summary>
    public static decimal? PayoutOf(string url, string? body, Network? network)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var q = url.IndexOf('?');
        if (q >= 0)
        {
            foreach (var (k, v) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[q..])) values[k] = v.ToString();
        }
        if (!string.IsNullOrEmpty(body))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in json.RootElement.EnumerateObject())
                    {
                        if (p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String) values[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                    }
                }
            }
            catch (JsonException)
            {
                foreach (var (k, v) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body)) values[k] = v.ToString();
            }
        }
        foreach (var (k, v) in values.ToList())
        {
            if (network?.ParamMap.GetValueOrDefault(k) is { } ours) values.TryAdd(ours, v);
        }
        var text = values.GetValueOrDefault("network_payout") ?? values.GetValueOrDefault("payout");
        return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount) ? amount : null;
    }
}

/// <summary>Reads inside the replay's snapshot transaction.</summary>
internal sealed record Snapshot(System.Data.Common.DbConnection Connection, System.Data.Common.DbTransaction Transaction)
{
    public Task<IEnumerable<dynamic>> QueryAsync(string sql) => Connection.QueryAsync(sql, transaction: Transaction);

    public Task<IEnumerable<T>> QueryAsync<T>(string sql) => Connection.QueryAsync<T>(sql, transaction: Transaction);
}

public sealed record ReplayReport(ReplayCounts Checked, int DifferenceCount, IReadOnlyList<ReplayDifference> Differences);

public sealed record ReplayCounts(long Users, long Conversions, long Callbacks, long Redemptions);

public sealed record ReplayDifference(string Kind, string Id, string Field, string? Stored, string? Rebuilt);
