using System.Globalization;

namespace OfferTrace.Fraud;

/// <summary>A reported screen or window size, <c>1920x1080</c> (also <c>X</c>, <c>*</c> or <c>×</c> between the sides).</summary>
public readonly record struct ScreenSize(int Width, int Height)
{
    public int ShortSide => Math.Min(Width, Height);

    public static bool TryParse(string? text, out ScreenSize size)
    {
        size = default;
        if (text is null) return false;
        var parts = text.Split('x', 'X', '*', '×');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var height)) return false;
        size = new ScreenSize(width, height);
        return true;
    }
}
