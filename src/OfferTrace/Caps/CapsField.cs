using System.Text.Json;
using OfferTrace.Common;

namespace OfferTrace.Caps;

/// <summary>Reads an offer's <c>caps</c>: <c>{"clicks": {"day": 1000}, "conversions": {"month": 50}, "payout": {"lifetime": 5000.00}}</c>.</summary>
public static class CapsField
{
    private static readonly string[] Kinds = ["clicks", "conversions", "payout"];

    public static OfferCaps Read(FieldReader r)
    {
        if (r.Element("caps", JsonValueKind.Object) is not { } caps) return OfferCaps.None;
        foreach (var p in caps.EnumerateObject())
        {
            if (!Kinds.Contains(p.Name)) r.Add($"caps.{p.Name}", $"is not a cap; caps are {string.Join(", ", Kinds)}");
        }
        return new OfferCaps(Counts(r, caps, "clicks"), Counts(r, caps, "conversions"), Amounts(r, caps));
    }

    private static CapLimits? Counts(FieldReader r, JsonElement caps, string kind)
    {
        if (!Limits(r, caps, kind, out var limits)) return null;
        long? Get(string period)
        {
            if (!limits.TryGetProperty(period, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0) return n;
            r.Add($"caps.{kind}.{period}", "must be a whole number, 0 or more");
            return null;
        }
        return new CapLimits(Get(CapPeriods.Day), Get(CapPeriods.Month), Get(CapPeriods.Lifetime));
    }

    private static MoneyCapLimits? Amounts(FieldReader r, JsonElement caps)
    {
        if (!Limits(r, caps, "payout", out var limits)) return null;
        decimal? Get(string period)
        {
            if (!limits.TryGetProperty(period, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var n) && n >= 0 && n == decimal.Round(n, Money.MaxScale) && n < 100_000_000_000m) return n;
            r.Add($"caps.payout.{period}", "must be an amount, 0 or more, with at most 4 decimals");
            return null;
        }
        return new MoneyCapLimits(Get(CapPeriods.Day), Get(CapPeriods.Month), Get(CapPeriods.Lifetime));
    }

    private static bool Limits(FieldReader r, JsonElement caps, string kind, out JsonElement limits)
    {
        if (!caps.TryGetProperty(kind, out limits) || limits.ValueKind == JsonValueKind.Null) return false;
        if (limits.ValueKind != JsonValueKind.Object)
        {
            r.Add($"caps.{kind}", "must be an object of day, month and lifetime limits");
            return false;
        }
        foreach (var p in limits.EnumerateObject())
        {
            if (!CapPeriods.All.Contains(p.Name)) r.Add($"caps.{kind}.{p.Name}", "is not a period; periods are day, month and lifetime");
        }
        return true;
    }
}
