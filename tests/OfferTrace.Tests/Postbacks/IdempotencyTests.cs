using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Postbacks;

public sealed class IdempotencyTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public Task Postback_with_same_transaction_id_credits_once_under_200_concurrent_calls(string provider) => CreditsOnceAsync(provider);

    [Fact]
    public Task Postback_with_same_transaction_id_credits_once_with_several_postgres_writers() => CreditsOnceAsync("postgres", "--Storage:Writers=4");

    private static async Task CreditsOnceAsync(string provider, params string[] args)
    {
        await using var server = await TestServer.StartAsync(provider, args);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clickId = await Flow.ClickAsync(server);

        using var gate = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 200).Select(async _ =>
        {
            await gate.WaitAsync();
            return await Flow.PostbackAsync(server, clickId, "tx-race");
        }).ToList();
        gate.Release(200);
        var responses = await Task.WhenAll(calls);

        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        Assert.Equal(199, responses.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Single(responses.Select(r => r.Str("conversion_id")).Distinct());
        Assert.All(responses, r => Assert.Equal(5000, r.Body.GetProperty("points_awarded").GetInt64()));

        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_conversions_detailed"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM user_points_transactions"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM publisher_earnings"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM network_payouts"));
        Assert.Equal(5000, await Sql.ScalarAsync<long>(server, "SELECT total_points FROM user_points WHERE user_id = 'u_1'"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT SUM(conversions) FROM rollup_hourly"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task A_second_transaction_on_a_converted_click_is_a_duplicate_conversion_signal(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clickId = await Flow.ClickAsync(server);

        (await Flow.PostbackAsync(server, clickId, "tx-1")).Expect(HttpStatusCode.Created);
        var second = (await Flow.PostbackAsync(server, clickId, "tx-2")).Expect(HttpStatusCode.Created);

        var signals = second.Body.GetProperty("fraud").GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("type").GetString()).ToList();
        Assert.Contains("duplicate_conversion", signals);
        Assert.Equal("pending", second.Str("status"));
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_fraud_signals WHERE type = 'duplicate_conversion'"));
    }
}
