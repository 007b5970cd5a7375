using OfferTrace.Common;

namespace OfferTrace.Catalog;

public static class OffersApi
{
    private static readonly string[] DeviceTypes = ["desktop", "mobile", "tablet", "tv", "console", "wearable", "bot", "other"];

    public static readonly CatalogResource<Offer> Resource = new()
    {
        Route = "/offers",
        Table = "offers",
        IdColumn = "offer_id",
        All = s => s.Offers.Values,
        Id = o => o.OfferId,
        View = o => new OfferView(o.OfferId, o.Name, o.Category, o.NetworkId, o.Advertiser, MoneyFormat.ToMinor(o.Payout, o.Currency), o.Currency, o.Url, o.Countries,
            o.DeviceTypes, o.DailyCap, o.Caps, o.UserRewardPercent, o.CommissionPercent, o.HoldDays, o.Status, Timestamps.Format(o.CreatedAt),
            Timestamps.Format(o.UpdatedAt)),
        Parse = Parse,
        CheckReferences = (v, s) => s.Networks.ContainsKey((string)v["network_id"]!)
            ? null
            : Problems.Unprocessable($"Unknown network_id '{v["network_id"]}'.", "network_id"),
        Delete = (store, id, now, ct) => store.DeleteAsync("offers", "offer_id", id, now, ct),
    };

    private static Dictionary<string, object?>? Parse(FieldReader r, string? pathId, long now)
    {
        var id = CatalogFields.Id(r, "offer_id", pathId);
        var name = r.String("name", maxLength: 300) ?? id;
        var category = r.String("category", maxLength: 100);
        var network = r.Id("network_id", required: true);
        var advertiser = r.String("advertiser", maxLength: 200);
        var payout = r.Amount("payout", required: true);
        var currency = r.String("currency") ?? "USD";
        if (!Currencies.IsKnown(currency)) r.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
        var url = CatalogFields.AbsoluteHttpUrl(r, "url", required: true);
        var countries = CatalogFields.StringList(r, "countries", c => c.Length == 2 && c.All(char.IsAsciiLetterUpper), "must be an ISO 3166 alpha-2 code");
        var devices = CatalogFields.StringList(r, "device_types", DeviceTypes.Contains, $"must be one of {string.Join(", ", DeviceTypes)}");
        var dailyCap = r.Int("daily_cap", min: 0);
        var reward = CatalogFields.Percent(r, "user_reward_percent", null);
        var commission = CatalogFields.Percent(r, "commission_percent", null);
        if (reward + commission > 100) r.Add("commission_percent", "commission_percent + user_reward_percent must not exceed 100");
        var holdDays = r.Int("hold_days", min: 0, max: 365) ?? 0;
        var caps = OfferTrace.Caps.CapsField.Read(r);
        var status = CatalogFields.Status(r, CatalogStatus.Active, CatalogStatus.Paused);
        if (r.Errors.Any) return null;
        return new()
        {
            ["offer_id"] = id, ["name"] = name, ["category"] = category, ["network_id"] = network, ["advertiser"] = advertiser,
            ["payout"] = Money.ToUnits(payout!.Value), ["currency"] = currency, ["url"] = url, ["countries"] = CatalogStore.Json(countries),
            ["device_types"] = CatalogStore.Json(devices), ["daily_cap"] = (long?)dailyCap,
            ["user_reward_percent"] = reward is { } rw ? CatalogStore.Text(rw) : null,
            ["commission_percent"] = commission is { } cm ? CatalogStore.Text(cm) : null, ["hold_days"] = holdDays, ["caps"] = CatalogStore.Json(caps), ["status"] = status,
            ["created_at"] = now, ["updated_at"] = now,
        };
    }
}

public sealed record OfferView(string OfferId, string Name, string? Category, string NetworkId, string? Advertiser, decimal Payout,
    string Currency, string Url, IReadOnlyList<string> Countries, IReadOnlyList<string> DeviceTypes, long? DailyCap, Caps.OfferCaps Caps,
    decimal? UserRewardPercent, decimal? CommissionPercent, int HoldDays, string Status, string CreatedAt, string UpdatedAt);
