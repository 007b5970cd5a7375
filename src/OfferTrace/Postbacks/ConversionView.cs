using OfferTrace.Common;
using OfferTrace.Fraud;

namespace OfferTrace.Postbacks;

public sealed record ConversionView(string ConversionId, string Status, PayoutView Payout, long PointsAwarded, FraudView Fraud)
{
    public static ConversionView Of(ConversionRecord c)
    {
        var s = c.Split;
        return new ConversionView(c.ConversionId, c.Status,
            new PayoutView(MoneyFormat.ToMinor(s.NetworkPayout, s.Currency), MoneyFormat.ToMinor(s.UserReward, s.Currency),
                MoneyFormat.ToMinor(s.PublisherCommission, s.Currency), MoneyFormat.ToMinor(s.PlatformRevenue, s.Currency), s.Currency),
            c.IsCredited ? c.Points : 0, FraudView.Of(c.Fraud));
    }
}

public sealed record PayoutView(decimal NetworkPayout, decimal UserReward, decimal PublisherCommission, decimal PlatformRevenue, string Currency);
