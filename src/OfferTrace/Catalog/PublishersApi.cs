using OfferTrace.Common;

namespace OfferTrace.Catalog;

public static class PublishersApi
{
    public static readonly CatalogResource<Publisher> Resource = new()
    {
        Route = "/publishers",
        Table = "publishers",
        IdColumn = "publisher_id",
        All = s => s.Publishers.Values,
        Id = p => p.PublisherId,
        View = p => new PublisherView(p.PublisherId, p.Name, p.CommissionPercent, p.UserRewardPercent, p.PointsPerCurrencyUnit,
            p.PostbackUrl, p.PostbackMode, p.PostbackSecret is not null, p.Status, Timestamps.Format(p.CreatedAt), Timestamps.Format(p.UpdatedAt)),
        Parse = Parse,
        Delete = (store, id, now, ct) => store.DeleteAsync("publishers", "publisher_id", id, now, ct),
    };

    private static Dictionary<string, object?>? Parse(FieldReader r, string? pathId, long now)
    {
        var id = CatalogFields.Id(r, "publisher_id", pathId);
        var name = r.String("name", required: true, maxLength: 200);
        var commission = CatalogFields.Percent(r, "commission_percent", 35m);
        var reward = CatalogFields.Percent(r, "user_reward_percent", 50m);
        if (commission + reward > 100) r.Add("commission_percent", "commission_percent + user_reward_percent must not exceed 100");
        var points = r.Int("points_per_currency_unit", min: 0, max: 1_000_000) ?? 100;
        var postbackUrl = CatalogFields.AbsoluteHttpUrl(r, "postback_url", required: false);
        var secret = r.String("postback_secret", maxLength: 256);
        var mode = r.String("postback_mode", maxLength: 16) ?? PostbackModes.Get;
        if (mode is not (PostbackModes.Get or PostbackModes.Webhook)) r.Add("postback_mode", "must be 'get' or 'webhook'");
        if (mode == PostbackModes.Webhook && string.IsNullOrEmpty(secret)) r.Add("postback_secret", "is required for signed webhooks");
        var status = CatalogFields.Status(r, CatalogStatus.Active, CatalogStatus.Paused);
        if (r.Errors.Any) return null;
        return new()
        {
            ["publisher_id"] = id, ["name"] = name, ["commission_percent"] = CatalogStore.Text(commission!.Value),
            ["user_reward_percent"] = CatalogStore.Text(reward!.Value), ["points_per_currency_unit"] = (long)points,
            ["postback_url"] = postbackUrl, ["postback_secret"] = secret, ["postback_mode"] = mode, ["status"] = status, ["created_at"] = now, ["updated_at"] = now,
        };
    }
}

public sealed record PublisherView(string PublisherId, string Name, decimal CommissionPercent, decimal UserRewardPercent,
    long PointsPerCurrencyUnit, string? PostbackUrl, string PostbackMode, bool HasPostbackSecret, string Status, string CreatedAt, string UpdatedAt);
