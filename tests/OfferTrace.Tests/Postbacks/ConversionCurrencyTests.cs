using System.Text;
using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Postbacks;

public sealed class ConversionCurrencyTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_payout_without_currency_is_in_the_offers_currency_and_reports_convert_with_the_dated_rate(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await SeedEuroOfferAsync(server);
        (await server.Admin.PostJsonAsync("/api/admin/exchange-rates", new { currency = "EUR", date = "2026-10-01", rate = 1.10m })).Expect(HttpStatusCode.Created);
        var clickId = await Flow.ClickAsync(server);

        var conversion = (await server.Client.GetJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}&click_id={clickId}&transaction_id=t1&payout=10"))
            .Expect(HttpStatusCode.Created);
        var payout = conversion.Body.GetProperty("payout");
        Assert.Equal("EUR", payout.GetProperty("currency").GetString());
        Assert.Equal("5.00", payout.GetProperty("user_reward").GetRawText());
        Assert.Equal(550, conversion.Body.GetProperty("points_awarded").GetInt64());

        var totals = (await server.Admin.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics?from=2026-11-01&to=2026-11-02"))
            .Expect(HttpStatusCode.OK).Body.GetProperty("totals");
        Assert.Equal("11.00", totals.GetProperty("network_payout").GetRawText());
        Assert.Equal("1.65", totals.GetProperty("platform_revenue").GetRawText());
        Assert.Equal("USD", totals.GetProperty("currency").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task An_absurd_rate_is_refused_and_a_payout_converting_past_the_largest_amount_is_422_and_stores_nothing(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await SeedEuroOfferAsync(server);

        var absurd = (await server.Admin.PostJsonAsync("/api/admin/exchange-rates", new { currency = "EUR", date = "2026-10-01", rate = 1e20 }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("at most 1000000", absurd.Body.GetProperty("errors").GetProperty("rate")[0].GetString());
        (await server.Admin.PostJsonAsync("/api/admin/exchange-rates", new { currency = "EUR", date = "2026-10-01", rate = 1_000_000 })).Expect(HttpStatusCode.Created);
        var clickId = await Flow.ClickAsync(server);

        var tooLarge = (await server.Client.GetJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}&click_id={clickId}&transaction_id=t1&payout=1000000000"))
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("more than the 1000000000", tooLarge.Str("detail"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed"));

        (await server.Client.GetJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}&click_id={clickId}&transaction_id=t1&payout=1000"))
            .Expect(HttpStatusCode.Created);
        var totals = (await server.Admin.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics?from=2026-11-01&to=2026-11-02"))
            .Expect(HttpStatusCode.OK).Body.GetProperty("totals");
        Assert.Equal("1000000000.00", totals.GetProperty("network_payout").GetRawText());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_rate_past_the_bound_stored_before_rates_were_bounded_refuses_the_conversion_with_422(string provider)
    {
        await using var first = await TestServer.StartAsync(provider);
        await SeedEuroOfferAsync(first);
        await Sql.QueryAsync(first, "INSERT INTO exchange_rates (currency, rate_date, rate, created_at) VALUES ('EUR', '2026-10-01', '100000000000000000000', 0)");
        await using var server = await first.RestartAsync();
        var clickId = await Flow.ClickAsync(server);

        var refused = (await server.Client.GetJsonAsync($"/api/offerwall/postback/net_1?token={Catalogue.NetworkToken}&click_id={clickId}&transaction_id=t1&payout=1000000000"))
            .Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("past the largest accepted", refused.Str("detail"));
        Assert.Equal(0, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_rate_past_the_bound_stored_before_rates_were_bounded_counts_as_missing_in_the_roi_report(string provider)
    {
        await using var first = await TestServer.StartAsync(provider);
        await Sql.QueryAsync(first, "INSERT INTO exchange_rates (currency, rate_date, rate, created_at) VALUES ('EUR', '2026-10-01', '100000000000000000000', 0)");
        await using var server = await first.RestartAsync();
        using var costs = new StringContent("date,campaign,cost,currency\n2026-10-31,autumn,1000000000.00,EUR\n2026-10-31,local,25.00,USD\n", Encoding.UTF8, "text/csv");
        (await server.Admin.PostAsync("/api/admin/campaign-costs", costs)).EnsureSuccessStatusCode();

        var roi = (await server.Admin.GetJsonAsync("/api/admin/click-events/reports/roi?from=2026-10-30&to=2026-11-01")).Expect(HttpStatusCode.OK).Body;

        Assert.Equal(["EUR"], roi.GetProperty("currencies_without_rate").EnumerateArray().Select(c => c.GetString()));
    }

    /// <summary>A publisher, placement and network, and an offer paying 10 EUR.</summary>
    private static async Task SeedEuroOfferAsync(TestServer server)
    {
        (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_1", name = "P" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/placements", new { placement_id = "plc_1", publisher_id = "pub_1" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/networks", new { network_id = "net_1", postback_token = Catalogue.NetworkToken })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/offers", new { offer_id = "off_survey", network_id = "net_1", payout = 10, currency = "EUR", url = "https://a.example/?c={click_id}" }))
            .Expect(HttpStatusCode.Created);
    }
}
