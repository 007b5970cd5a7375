using Dapper;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Caps;

/// <summary>
/// Counts clicks, conversions and payout against an offer's caps, inside the writer's transaction. Taking is an
/// increment that reads back whether a limit is now passed; if one is, every increment of the attempt is undone in
/// the same transaction. The usage row stays locked until the commit (PostgreSQL) or the single writer serialises
/// (SQLite), so two conversions can never both take the last unit of a cap.
/// </summary>
public static class CapUsage
{
    // The first event of a period creates its usage row from what is already stored in the period (the event itself
    // included, its row being written before, hence the subtraction: the update below adds it), so a cap set on an offer
    // with history counts that history. Only then do the history queries run; afterwards each event is one update.
    private static readonly SqlStatement Seed = new(
        "INSERT INTO offer_cap_usage (offer_id, period, period_start, clicks, conversions, payout) SELECT @offer_id, @period, @period_start, " +
        "(SELECT COUNT(*) FROM offerwall_clicks_detailed WHERE offer_id = @offer_id AND created_at >= @period_start AND created_at < @period_end) - @clicks, " +
        "(SELECT COUNT(*) FROM offerwall_conversions_detailed WHERE offer_id = @offer_id AND created_at >= @period_start AND created_at < @period_end " +
        "AND status IN ('approved', 'pending')) - @conversions, " +
        "(SELECT COALESCE(SUM(network_payout_base), 0) FROM offerwall_conversions_detailed WHERE offer_id = @offer_id AND created_at >= @period_start " +
        "AND created_at < @period_end AND status IN ('approved', 'pending')) - @payout " +
        "WHERE NOT EXISTS (SELECT 1 FROM offer_cap_usage WHERE offer_id = @offer_id AND period = @period AND period_start = @period_start) " +
        "ON CONFLICT (offer_id, period, period_start) DO NOTHING",
        "offer_id", "period", "period_start", "period_end", "clicks", "conversions", "payout");

    private static readonly SqlStatement Take = new(
        "UPDATE offer_cap_usage SET clicks = clicks + @clicks, conversions = conversions + @conversions, payout = payout + @payout " +
        "WHERE offer_id = @offer_id AND period = @period AND period_start = @period_start " +
        "RETURNING CASE WHEN clicks > @max_clicks OR conversions > @max_conversions OR payout > @max_payout THEN 1 ELSE 0 END",
        "clicks", "conversions", "payout", "offer_id", "period", "period_start", "max_clicks", "max_conversions", "max_payout");

    private static readonly SqlStatement GiveBack = new(
        "UPDATE offer_cap_usage SET clicks = clicks - @clicks, conversions = conversions - @conversions, payout = payout - @payout " +
        "WHERE offer_id = @offer_id AND period = @period AND period_start = @period_start",
        "clicks", "conversions", "payout", "offer_id", "period", "period_start");

    /// <summary>
    /// Counts the event in every period (day, month, lifetime) while the offer has any cap, all kinds together, so a cap
    /// added later finds true counts; with <paramref name="enforce"/>, false (and nothing taken) when a limit would be passed.
    /// </summary>
    public static async Task<bool> TryTakeAsync(IStatementRunner runner, Offer offer, long atMs, long clicks, long conversions, long payoutUnits,
        bool enforce, CancellationToken ct)
    {
        var caps = offer.Caps;
        var taken = new List<(string Period, long Start)>();
        foreach (var period in CapPeriods.All)
        {
            var start = CapPeriods.StartOf(period, atMs);
            runner.Queue(Seed, [offer.OfferId, period, start, CapPeriods.EndOf(period, atMs), clicks, conversions, payoutUnits]);
            // Only what this event adds is held to its limits: a conversion is not refused for clicks past their cap.
            var maxClicks = enforce && clicks > 0 ? caps.Clicks?.For(period) : null;
            var maxConversions = enforce && conversions > 0 ? caps.Conversions?.For(period) : null;
            var maxPayout = enforce && conversions > 0 && caps.Payout?.For(period) is { } amount ? Money.ToUnits(amount) : (long?)null;
            var over = await runner.ScalarAsync(Take,
                [clicks, conversions, payoutUnits, offer.OfferId, period, start, maxClicks ?? long.MaxValue, maxConversions ?? long.MaxValue, maxPayout ?? long.MaxValue],
                ct);
            taken.Add((period, start));
            if (Convert.ToInt64(over, System.Globalization.CultureInfo.InvariantCulture) == 0) continue;
            foreach (var (takenPeriod, takenStart) in taken) runner.Queue(GiveBack, [clicks, conversions, payoutUnits, offer.OfferId, takenPeriod, takenStart]);
            return false;
        }
        return true;
    }

    /// <summary>Whether the offer may take one more click now (read outside the writer: clicks may pass a cap by those in flight).</summary>
    public static async Task<string?> ClickCapReachedAsync(Database database, Offer offer, long atMs, CancellationToken ct)
    {
        if (!offer.Caps.LimitsClicks) return null;
        await using var c = await database.OpenAsync(ct);
        foreach (var period in CapPeriods.All)
        {
            if (offer.Caps.Clicks!.For(period) is not { } max) continue;
            var used = await c.ExecuteScalarAsync<long?>(
                "SELECT clicks FROM offer_cap_usage WHERE offer_id = @offerId AND period = @period AND period_start = @start",
                new { offerId = offer.OfferId, period, start = CapPeriods.StartOf(period, atMs) }) ?? 0;
            if (used >= max) return period;
        }
        return null;
    }
}
