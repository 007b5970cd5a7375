using System.Globalization;
using OfferTrace.Common;

namespace OfferTrace.Ledger;

public static class ExchangeRatesApi
{
    public static void MapExchangeRates(this RouteGroupBuilder admin)
    {
        var rates = admin.MapGroup("/exchange-rates");
        rates.MapGet("/", (ExchangeRates exchange) => TypedResults.Ok(new Page<ExchangeRateView>(exchange.All().ToList(), null)));
        rates.MapPost("/", async (HttpRequest request, ExchangeRates exchange, CancellationToken ct) =>
        {
            var (document, problem) = await JsonBody.ReadAsync(request, allowTextPlain: false, ct);
            if (problem is not null) return problem;
            using (document)
            {
                var r = new FieldReader(document!.RootElement, new FieldErrors());
                var currency = r.String("currency", required: true, maxLength: 3);
                if (currency is not null && !Currencies.IsKnown(currency)) r.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
                if (currency == exchange.BaseCurrency) r.Add("currency", "is the base currency");
                var date = r.String("date", required: true, maxLength: 10);
                if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    r.Add("date", "must be a date yyyy-MM-dd");
                var rate = r.Decimal("rate", required: true);
                if (rate <= 0) r.Add("rate", "must be greater than 0");
                else if (rate > ExchangeRates.MaxRate) r.Add("rate", $"must be at most {ExchangeRates.MaxRate.ToString(CultureInfo.InvariantCulture)} (units of the base currency for one of this one)");
                if (r.Errors.Any) return Problems.Validation(r.Errors.ToDictionary());
                await exchange.SetAsync(currency!, date!, rate!.Value, ct);
                return TypedResults.Created($"/api/admin/exchange-rates", new ExchangeRateView(currency!, date!, rate.Value, exchange.BaseCurrency));
            }
        });
    }
}
