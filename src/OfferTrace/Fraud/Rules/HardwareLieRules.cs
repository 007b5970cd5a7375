namespace OfferTrace.Fraud.Rules;

/// <summary>A screen no device has (<c>0x0</c>, a zero side, or beyond 16K): a headless or scripted browser. Suspicious alone.</summary>
public static class ImpossibleScreenRule
{
    public const int Weight = 45;
    private const int MaxSide = 16_384;

    public static FraudSignal? Check(DeviceClaims claims)
    {
        if (claims.ScreenResolution is not { } screen) return null;
        var possible = ScreenSize.TryParse(screen, out var size) && size.Width is > 0 and <= MaxSide && size.Height is > 0 and <= MaxSide;
        return possible ? null : new FraudSignal("impossible_screen", Severity.High, Weight, false,
            new Dictionary<string, object?> { ["screen_resolution"] = screen });
    }
}

/// <summary>One or two logical cores on a desktop: desktops sold in the last decade have four or more; emulators and cheap VMs have one or two. Suspicious alone.</summary>
public static class LowCoreDesktopRule
{
    public const int Weight = 40;

    public static FraudSignal? Check(DeviceClaims claims) =>
        claims.DeviceType == "desktop" && claims.HardwareConcurrency is >= 1 and <= 2
            ? new FraudSignal("low_core_desktop", Severity.High, Weight, false,
                new Dictionary<string, object?> { ["hardware_concurrency"] = claims.HardwareConcurrency, ["device_type"] = claims.DeviceType })
            : null;
}
