namespace OfferTrace.Fraud.Rules;

/// <summary>The same user clicked the same offer again inside the window: people do that, so it only adds up.</summary>
public static class DuplicateClickRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(long? previousAt, long atMs, long windowMs) =>
        previousAt is { } previous && atMs - previous <= windowMs
            ? new FraudSignal("duplicate_click", Severity.Low, Weight, false, new Dictionary<string, object?>
            {
                ["previous_click_at"] = Common.Timestamps.Format(previous), ["seconds_since"] = (atMs - previous) / 1000, ["window_hours"] = windowMs / 3_600_000,
            })
            : null;
}

/// <summary>More offerwall clicks from one IP in a minute than a person makes (60 by default, as Voluum counts): suspicious alone.</summary>
public static class ClickFloodRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(int clicksLastMinute, int limit) =>
        clicksLastMinute > limit
            ? new FraudSignal("click_flood", Severity.High, Weight, false,
                new Dictionary<string, object?> { ["clicks_last_minute"] = clicksLastMinute, ["limit"] = limit })
            : null;
}

/// <summary>
/// Clicks from one IP at intervals too even for a hand: at least <c>minIntervals</c> intervals whose spread (standard
/// deviation over mean) is under <c>maxVariation</c>. Scripts on a timer do this; people never do. Suspicious alone.
/// </summary>
public static class MachineRegularTimingRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(IReadOnlyList<long> intervalsMs, int minIntervals, double maxVariation)
    {
        if (intervalsMs.Count < minIntervals) return null;
        var recent = intervalsMs.Skip(intervalsMs.Count - minIntervals).Select(i => (double)i).ToList();
        var mean = recent.Average();
        if (mean <= 0) return null;
        var deviation = Math.Sqrt(recent.Sum(i => (i - mean) * (i - mean)) / recent.Count);
        var variation = deviation / mean;
        return variation < maxVariation
            ? new FraudSignal("machine_regular_timing", Severity.High, Weight, false, new Dictionary<string, object?>
            {
                ["intervals_ms"] = string.Join(',', recent), ["variation"] = Math.Round(variation, 4), ["max_variation"] = maxVariation,
            })
            : null;
    }
}

/// <summary>A device (fingerprint) carrying more user ids than one household has: from the 4th account in 30 days on (by default), suspicious alone.</summary>
public static class SharedDeviceRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(int? userRankOnDevice, int maxUsers, int windowDays) =>
        userRankOnDevice > maxUsers
            ? new FraudSignal("shared_device", Severity.High, Weight, false, new Dictionary<string, object?>
            {
                ["account_number_on_device"] = userRankOnDevice, ["max_accounts"] = maxUsers, ["window_days"] = windowDays,
            })
            : null;
}

/// <summary>One user id on more devices than a person owns (5 in 30 days by default): people change browsers, so it only adds up.</summary>
public static class ManyDevicesPerUserRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(int? devicesOfUser, int maxDevices, int windowDays) =>
        devicesOfUser > maxDevices
            ? new FraudSignal("many_devices_per_user", Severity.Low, Weight, false, new Dictionary<string, object?>
            {
                ["devices"] = devicesOfUser, ["max_devices"] = maxDevices, ["window_days"] = windowDays,
            })
            : null;
}
