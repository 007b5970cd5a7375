using OfferTrace.Ledger;

namespace OfferTrace.Tests.Ledger;

public sealed class PayoutSplitTests
{
    [Theory]
    [InlineData("100.00", "USD", "50", "35", "50.00", "35.00", "15.00")]
    [InlineData("0.01", "USD", "50", "35", "0.01", "0.00", "0.00")]
    [InlineData("0.03", "USD", "50", "35", "0.02", "0.01", "0.00")]
    [InlineData("1.2345", "USD", "50", "35", "0.62", "0.43", "0.1845")]
    [InlineData("999", "JPY", "50", "35", "500", "350", "149")]
    [InlineData("10.005", "BHD", "50", "35", "5.003", "3.502", "1.500")]
    [InlineData("7.77", "EUR", "33.3333", "33.3333", "2.59", "2.59", "2.59")]
    public void The_three_parts_always_add_up_to_the_payout(string payout, string currency, string userPct, string pubPct,
        string user, string publisher, string platform)
    {
        var split = PayoutSplit.Of(D(payout), currency, D(userPct), D(pubPct));
        Assert.Equal(D(user), split.UserReward);
        Assert.Equal(D(publisher), split.PublisherCommission);
        Assert.Equal(D(platform), split.PlatformRevenue);
        Assert.Equal(split.NetworkPayout, split.UserReward + split.PublisherCommission + split.PlatformRevenue);
    }

    [Fact]
    public void Points_are_the_base_reward_times_the_rate_rounded_down()
    {
        Assert.Equal(5000, PayoutSplit.Points(50.00m, 100));
        Assert.Equal(61, PayoutSplit.Points(0.6199m, 100));
        Assert.Equal(0, PayoutSplit.Points(0.0099m, 100));
    }

    [Fact]
    public void The_base_currency_split_also_adds_up()
    {
        var split = PayoutSplit.Of(33.33m, "EUR", 50, 35).ToBase(1.0837m, "USD");
        Assert.Equal("USD", split.Currency);
        Assert.Equal(split.NetworkPayout, split.UserReward + split.PublisherCommission + split.PlatformRevenue);
        Assert.Equal(36.1197m, split.NetworkPayout);
    }

    private static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
