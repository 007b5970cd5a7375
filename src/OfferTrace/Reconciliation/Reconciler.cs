using System.Globalization;
using Dapper;
using OfferTrace.Common;
using OfferTrace.Ledger;
using OfferTrace.Storage;

namespace OfferTrace.Reconciliation;

/// <summary>
/// Compares a network's export with the conversions stored for that network. Their rows are looked up by transaction id
/// among all of the network's conversions, so a conversion dated just outside the window on one side is not reported as
/// missing; the window (<c>from</c> inclusive, <c>to</c> exclusive, either optional) bounds which stored conversions must
/// appear in their file. A row without a currency is taken to be in the currency of our conversion.
/// </summary>
public sealed class Reconciler(Database database, ExchangeRates rates)
{
    private const string Columns = "conversion_id, transaction_id, created_at, currency, network_payout, status, exchange_rate, network_payout_base";
    private const int LookupChunk = 500;

    public async Task<ReconciliationReport> CompareAsync(string networkId, TheirExport export, long? fromMs, long? toMs, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var window = (await c.QueryAsync(
                $"SELECT {Columns} FROM offerwall_conversions_detailed WHERE network_id = @networkId" +
                (fromMs is null ? "" : " AND created_at >= @fromMs") + (toMs is null ? "" : " AND created_at < @toMs"),
                new { networkId, fromMs, toMs }))
            .Select(r => OurConversion.From(DbRow.From((object)r))).ToList();
        var ours = window.ToDictionary(o => o.TransactionId, StringComparer.Ordinal);
        if (fromMs is not null || toMs is not null)
        {
            foreach (var ids in export.Rows.Select(t => t.TransactionId).Where(id => !ours.ContainsKey(id)).Chunk(LookupChunk))
            {
                // Parameters named one by one: Dapper would pass a list to Npgsql as one array, which IN does not take.
                var args = new DynamicParameters(new { networkId });
                for (var i = 0; i < ids.Length; i++) args.Add($"id{i}", ids[i]);
                var list = string.Join(", ", ids.Select((_, i) => $"@id{i}"));
                foreach (var row in await c.QueryAsync(
                             $"SELECT {Columns} FROM offerwall_conversions_detailed WHERE network_id = @networkId AND transaction_id IN ({list})", args))
                {
                    var o = OurConversion.From(DbRow.From((object)row));
                    ours[o.TransactionId] = o;
                }
            }
        }

        var differences = new List<Difference>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var totals = new TotalsSum(rates);
        var matched = 0;
        foreach (var theirs in export.Rows)
        {
            ours.TryGetValue(theirs.TransactionId, out var our);
            totals.AddTheirs(theirs, our, now);
            if (our is null)
            {
                differences.Add(new Difference(DifferenceTypes.MissingHere, theirs.TransactionId, null, TheirSideOf(theirs), null));
                continue;
            }
            seen.Add(our.ConversionId);
            totals.AddOurs(our);
            var type = theirs.IsCredited != our.IsCredited ? DifferenceTypes.StatusDiffers
                : theirs.IsCredited && AmountDiffers(theirs, our) ? DifferenceTypes.AmountDiffers
                : null;
            if (type is null) matched++;
            else differences.Add(new Difference(type, theirs.TransactionId, our.ConversionId, TheirSideOf(theirs), OurSideOf(our)));
        }
        foreach (var our in window.Where(o => o.IsCredited && !seen.Contains(o.ConversionId))
                     .OrderBy(o => o.CreatedAt).ThenBy(o => o.ConversionId, StringComparer.Ordinal))
        {
            totals.AddOurs(our);
            differences.Add(new Difference(DifferenceTypes.MissingThere, our.TransactionId, our.ConversionId, null, OurSideOf(our)));
        }
        return new ReconciliationReport(networkId, export.RowsRead, matched, differences, export.InvalidRows, totals.ToTotals());
    }

    /// <summary>Amounts are compared only where both sides credit the conversion: elsewhere no money moves on either side.</summary>
    private static bool AmountDiffers(TheirConversion theirs, OurConversion our) =>
        (theirs.Currency is not null && theirs.Currency != our.Currency) || (theirs.Payout is { } p && p != Money.FromUnits(our.NetworkPayout));

    private static TheirSide TheirSideOf(TheirConversion t) => new(t.Line, t.Payout, t.Currency, t.Status, t.MappedStatus);

    private static OurSide OurSideOf(OurConversion o) =>
        new(MoneyFormat.ToMinor(Money.FromUnits(o.NetworkPayout), o.Currency), o.Currency, o.Status, Timestamps.Format(o.CreatedAt));

    private sealed record OurConversion(string ConversionId, string TransactionId, long CreatedAt, string Currency, long NetworkPayout, string Status,
        decimal ExchangeRate, long NetworkPayoutBase)
    {
        public bool IsCredited => Status is Postbacks.ConversionStatus.Approved or Postbacks.ConversionStatus.Pending;

        public static OurConversion From(DbRow r) => new(r.Str("conversion_id"), r.Str("transaction_id"), r.Long("created_at"), r.Str("currency"),
            r.Long("network_payout"), r.Str("status"), decimal.Parse(r.Str("exchange_rate"), CultureInfo.InvariantCulture), r.Long("network_payout_base"));
    }

    /// <summary>
    /// Credited money of each side in the base currency. Ours is the stored base amount. Theirs is converted exactly as a
    /// conversion is: with the rate stored on our conversion when the currencies agree, else with the dated rate.
    /// </summary>
    private sealed class TotalsSum(ExchangeRates rates)
    {
        private decimal _theirs;
        private decimal _ours;
        private int _leftOut;

        public void AddOurs(OurConversion our)
        {
            if (our.IsCredited) _ours += Money.FromUnits(our.NetworkPayoutBase);
        }

        public void AddTheirs(TheirConversion theirs, OurConversion? our, DateTimeOffset now)
        {
            if (!theirs.IsCredited) return;
            var currency = theirs.Currency ?? our?.Currency ?? rates.BaseCurrency;
            var rate = currency == rates.BaseCurrency ? 1m
                : our is not null && our.Currency == currency ? our.ExchangeRate
                : rates.RateOn(currency, our is null ? now : Timestamps.FromMs(our.CreatedAt));
            if (theirs.Payout is not { } payout || rate is null) _leftOut++;
            else _theirs += decimal.Round(payout * rate.Value, Money.MaxScale, MidpointRounding.AwayFromZero);
        }

        public ReconciliationTotals ToTotals() => new(MoneyFormat.ToMinor(_theirs, rates.BaseCurrency), MoneyFormat.ToMinor(_ours, rates.BaseCurrency),
            MoneyFormat.ToMinor(_theirs - _ours, rates.BaseCurrency), rates.BaseCurrency, _leftOut);
    }
}
