namespace OfferTrace.Common;

/// <summary>Gives amounts the scale of their currency for display (<c>50</c> → <c>50.00</c>) without changing their value.</summary>
public static class MoneyFormat
{
    private static readonly decimal[] Zeros = [0m, 0.0m, 0.00m, 0.000m, 0.0000m];

    public static decimal ToMinor(decimal amount, string currency)
    {
        var digits = Currencies.IsKnown(currency) ? Currencies.MinorUnitsOf(currency) : 2;
        var rounded = decimal.Round(amount, Math.Max(digits, Scale(amount)));
        return rounded + Zeros[Math.Min(digits, 4)];
    }

    private static int Scale(decimal d) => (decimal.GetBits(d)[3] >> 16) & 0xFF;
}
