using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>Dated rates to the base currency: the rate of a day is the latest one set on or before it.</summary>
public sealed class ExchangeRates(Database database, IOptions<MoneyOptions> options, TimeProvider time)
{
    /// <summary>
    /// Largest rate accepted: far above any currency's, and small enough that the largest payout converted stays within
    /// the 64-bit sums of the ledger.
    /// </summary>
    public const decimal MaxRate = 1_000_000m;

    private volatile IReadOnlyDictionary<string, SortedList<string, decimal>> _rates = new Dictionary<string, SortedList<string, decimal>>();

    public string BaseCurrency => options.Value.BaseCurrency;

    public decimal? RateOn(string currency, DateTimeOffset at)
    {
        if (currency == BaseCurrency) return 1m;
        if (!_rates.TryGetValue(currency, out var dated)) return null;
        var day = at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        decimal? best = null;
        foreach (var (date, rate) in dated)
        {
            if (string.CompareOrdinal(date, day) > 0) break;
            best = rate;
        }
        return best;
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync("SELECT currency, rate_date, rate FROM exchange_rates");
        var map = new Dictionary<string, SortedList<string, decimal>>(StringComparer.Ordinal);
        foreach (var row in rows.Select(DbRow.From))
        {
            if (!map.TryGetValue(row.Str("currency"), out var list)) map[row.Str("currency")] = list = new SortedList<string, decimal>(StringComparer.Ordinal);
            list[row.Str("rate_date")] = row.Dec("rate");
        }
        _rates = map;
    }

    public async Task SetAsync(string currency, string date, decimal rate, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO exchange_rates (currency, rate_date, rate, created_at) VALUES (@currency, @date, @rate, @at) " +
            "ON CONFLICT (currency, rate_date) DO UPDATE SET rate = excluded.rate, created_at = excluded.created_at",
            new { currency, date, rate = rate.ToString(CultureInfo.InvariantCulture), at = Timestamps.ToMs(time.GetUtcNow()) });
        await ReloadAsync(ct);
    }

    public IEnumerable<ExchangeRateView> All() =>
        _rates.SelectMany(c => c.Value.Select(r => new ExchangeRateView(c.Key, r.Key, r.Value, BaseCurrency)))
            .OrderBy(v => v.Currency, StringComparer.Ordinal).ThenBy(v => v.Date, StringComparer.Ordinal);
}

public sealed record ExchangeRateView(string Currency, string Date, decimal Rate, string BaseCurrency);
