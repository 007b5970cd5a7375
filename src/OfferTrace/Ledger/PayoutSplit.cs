using OfferTrace.Common;

namespace OfferTrace.Ledger;

/// <summary>
/// Splits a network payout: user reward and publisher commission are rounded to the currency's minor unit
/// (half away from zero), and the platform keeps the exact remainder, so the three parts add up to the payout.
/// </summary>
public sealed record PayoutSplit(decimal NetworkPayout, decimal UserReward, decimal PublisherCommission, decimal PlatformRevenue, string Currency)
{
    public static PayoutSplit Of(decimal payout, string currency, decimal userRewardPercent, decimal commissionPercent)
    {
        var user = Money.RoundToMinor(payout * userRewardPercent / 100m, currency);
        var publisher = Money.RoundToMinor(payout * commissionPercent / 100m, currency);
        return new PayoutSplit(payout, user, publisher, payout - user - publisher, currency);
    }

    /// <summary>The same split in the base currency: each part converted exactly, then the platform takes the remainder again.</summary>
    public PayoutSplit ToBase(decimal rate, string baseCurrency)
    {
        if (baseCurrency == Currency) return this;
        var payout = Round4(NetworkPayout * rate);
        var user = Round4(UserReward * rate);
        var publisher = Round4(PublisherCommission * rate);
        return new PayoutSplit(payout, user, publisher, payout - user - publisher, baseCurrency);
    }

    /// <summary>Whole points: the user reward in the base currency times the publisher's rate, rounded down.</summary>
    public static long Points(decimal userRewardInBase, long pointsPerCurrencyUnit) =>
        (long)decimal.Floor(userRewardInBase * pointsPerCurrencyUnit);

    private static decimal Round4(decimal amount) => decimal.Round(amount, Money.MaxScale, MidpointRounding.AwayFromZero);
}
