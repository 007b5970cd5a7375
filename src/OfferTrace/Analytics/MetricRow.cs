using OfferTrace.Common;

namespace OfferTrace.Analytics;

/// <summary>Counts and base-currency money of one group, with the rates derived from them (PRODUCT §7 definitions).</summary>
public sealed record MetricRow(
    string? Key, long Sessions, long Impressions, long Clicks, long Conversions, decimal Ctr, decimal Cvr, decimal Epc, decimal NetworkPayout,
    decimal UserRewards, decimal PublisherCommission, decimal PlatformRevenue, decimal Revenue, long Points, long FraudConversions,
    long RejectedConversions, string Currency)
{
    public static MetricRow From(string? key, DbRow r, string currency)
    {
        long L(string c) => r.LongOrNull(c) ?? 0;
        var clicks = L("clicks");
        var impressions = L("impressions");
        var conversions = L("conversions");
        var payout = Money.FromUnits(L("network_payout"));
        var platform = MoneyFormat.ToMinor(Money.FromUnits(L("platform_revenue")), currency);
        return new MetricRow(key, L("sessions"), impressions, clicks, conversions, Percent(clicks, impressions), Percent(conversions, clicks),
            MoneyFormat.ToMinor(clicks == 0 ? 0m : decimal.Round(payout / clicks, 4, MidpointRounding.AwayFromZero), currency), MoneyFormat.ToMinor(payout, currency),
            MoneyFormat.ToMinor(Money.FromUnits(L("user_reward")), currency), MoneyFormat.ToMinor(Money.FromUnits(L("publisher_commission")), currency),
            platform, platform, L("points"), L("fraud_conversions"), L("rejected_conversions"), currency);
    }

    /// <summary>part / whole × 100, two decimals, half away from zero; 0 when the denominator is 0.</summary>
    public static decimal Percent(long part, long whole) =>
        whole == 0 ? 0m : decimal.Round(part * 100m / whole, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
