using OfferTrace.Common;

namespace OfferTrace.Fraud.Rules;

/// <summary>
/// The browser's time zone keeps a different clock from the IP's place at the time of the event (compared by UTC
/// offset, so Europe/Paris and Europe/Berlin agree). Travellers and VPN users do this honestly: it adds up only.
/// </summary>
public static class TimezoneMismatchRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(NetworkFacts n, DeviceClaims claims, DateTimeOffset at)
    {
        if (n.IpTimezone is null || claims.Timezone is null) return null;
        if (Offset(n.IpTimezone, at) is not { } ipOffset || Offset(claims.Timezone, at) is not { } browserOffset) return null;
        if (ipOffset == browserOffset) return null;
        return new FraudSignal("timezone_mismatch", Severity.Low, Weight, false, new Dictionary<string, object?>
        {
            ["ip_timezone"] = n.IpTimezone, ["browser_timezone"] = claims.Timezone,
            ["difference_minutes"] = (int)(browserOffset - ipOffset).TotalMinutes,
        });
    }

    private static TimeSpan? Offset(string zone, DateTimeOffset at) => IanaZones.TryFind(zone, out var z) ? z.GetUtcOffset(at) : null;
}
