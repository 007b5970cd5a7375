namespace OfferTrace.Fraud.Rules;

/// <summary>What a user agent claims and what the browser measured of its hardware.</summary>
public sealed record HardwareClaims(string? Os, string? Browser, string? DeviceType, double? DeviceMemory, string? ScreenResolution);

/// <summary>
/// Report A's contradictions between the claimed device and the measured hardware. <c>navigator.deviceMemory</c> exists
/// only in Chromium browsers: Safari, every iOS browser (all WebKit) and Firefox never expose it, so an iPhone user agent
/// that reports any device memory is spoofed (the source's "iPhone with less than 2 GB" is the common case). Chromium
/// rounds to a power of two (0.25 … 8, newer versions up to 32), so any other value is forged. A phone user agent with a
/// screen whose short side only desktops have is spoofed too. Suspicious alone; one signal names every contradiction.
/// </summary>
public static class HardwareLieRule
{
    public const int Weight = 45;

    /// <summary>Phones report CSS pixels: no phone's short side reaches this; tablets and desktops do.</summary>
    private const int PhoneMaxShortSide = 600;

    public static FraudSignal? Check(HardwareClaims c)
    {
        var found = Contradictions(c);
        return found.Count == 0 ? null : new FraudSignal("hardware_lie", Severity.High, Weight, false, new Dictionary<string, object?>
        {
            ["contradictions"] = found, ["os"] = c.Os, ["browser"] = c.Browser, ["device_type"] = c.DeviceType,
            ["device_memory"] = c.DeviceMemory, ["screen_res"] = c.ScreenResolution,
        });
    }

    public static List<string> Contradictions(HardwareClaims c)
    {
        var found = new List<string>();
        if (c.DeviceMemory is { } memory)
        {
            if (c.Os == "iOS") found.Add("ios_reports_device_memory");
            else if (c.Browser is { } b && (b.StartsWith("Firefox", StringComparison.Ordinal) || b is "Safari" or "Mobile Safari"))
                found.Add("engine_without_device_memory");
            if (!IsChromiumMemoryValue(memory)) found.Add("device_memory_not_power_of_two");
        }
        if (c.DeviceType == "mobile" && ScreenSize.TryParse(c.ScreenResolution, out var screen) && screen.ShortSide > PhoneMaxShortSide)
            found.Add("phone_with_desktop_screen");
        return found;
    }

    private static bool IsChromiumMemoryValue(double gb)
    {
        for (var v = 0.25; v <= 32; v *= 2)
        {
            if (gb == v) return true;
        }
        return false;
    }
}
