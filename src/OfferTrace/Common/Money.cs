namespace OfferTrace.Common;

/// <summary>
/// Money is a <see cref="decimal"/> with a currency, accepted with at most four decimal places and stored
/// as a whole number of 1/10,000 of the unit, so sums in the database stay exact.
/// </summary>
public static class Money
{
    public const int MaxScale = 4;
    private const decimal UnitsPerOne = 10_000m;

    /// <summary>Largest amount accepted: keeps sums of many amounts far from the 64-bit limit.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    public static long ToUnits(decimal amount) => decimal.ToInt64(decimal.Round(amount * UnitsPerOne, 0, MidpointRounding.AwayFromZero));

    public static decimal FromUnits(long units) => units / UnitsPerOne;

    public static bool HasAtMostFourDecimals(decimal amount) => decimal.Round(amount, MaxScale) == amount;

    /// <summary>Rounds to the currency's minor unit, half away from zero.</summary>
    public static decimal RoundToMinor(decimal amount, string currency) =>
        decimal.Round(amount, Currencies.MinorUnitsOf(currency), MidpointRounding.AwayFromZero);
}
