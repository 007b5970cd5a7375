using System.Text.Json;
using OfferTrace.Common;

namespace OfferTrace.Catalog;

/// <summary>
/// Ad-click forensics sites: the origins allowed to post their click events, the time zone of their Google Ads
/// account (the offline conversion file's <c>TimeZone</c> parameter) and, per event type, the Google Ads conversion
/// action and value an event reports.
/// </summary>
public static class SitesApi
{
    public static readonly CatalogResource<Site> Resource = new()
    {
        Route = "/sites",
        Table = "sites",
        IdColumn = "site_id",
        All = s => s.Sites.Values,
        Id = s => s.SiteId,
        View = s => new SiteView(s.SiteId, s.Name, s.AllowedOrigins, s.Currency, s.TimeZone,
            s.Conversions.ToDictionary(c => c.Key, c => new SiteConversionView(c.Value.Name, c.Value.Value)), s.Status,
            Timestamps.Format(s.CreatedAt), Timestamps.Format(s.UpdatedAt)),
        Parse = Parse,
        Delete = (store, id, now, ct) => store.DeleteAsync("sites", "site_id", id, now, ct),
    };

    private static Dictionary<string, object?>? Parse(FieldReader r, string? pathId, long now)
    {
        var id = CatalogFields.Id(r, "site_id", pathId);
        var name = r.String("name", maxLength: 200) ?? id;
        var origins = CatalogFields.StringList(r, "allowed_origins", IsOrigin, "must be an origin such as https://example.com (scheme, host, optional port)");
        var currency = r.String("currency") ?? "USD";
        if (!Currencies.IsKnown(currency)) r.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
        var timeZone = r.String("time_zone", maxLength: 64) ?? "UTC";
        if (!IanaZones.IsKnown(timeZone)) r.Add("time_zone", $"'{timeZone}' is not a known IANA time zone");
        var conversions = Conversions(r);
        var status = CatalogFields.Status(r, CatalogStatus.Active, CatalogStatus.Paused);
        if (r.Errors.Any) return null;
        return new()
        {
            ["site_id"] = id, ["name"] = name, ["allowed_origins"] = CatalogStore.Json(origins.Select(o => o.TrimEnd('/')).ToList()),
            ["currency"] = currency, ["time_zone"] = timeZone, ["conversions"] = CatalogStore.Json(conversions), ["status"] = status,
            ["created_at"] = now, ["updated_at"] = now,
        };
    }

    private static Dictionary<string, SiteConversion> Conversions(FieldReader r)
    {
        var map = new Dictionary<string, SiteConversion>(StringComparer.Ordinal);
        if (r.Element("conversions", JsonValueKind.Object) is not { } obj) return map;
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Object)
            {
                r.Add($"conversions.{p.Name}", "must be an object with name and optional value");
                continue;
            }
            var c = new FieldReader(p.Value, r.Errors, $"conversions.{p.Name}.");
            var name = c.String("name", required: true, maxLength: 100);
            var value = c.Amount("value");
            if (name is not null) map[p.Name] = new SiteConversion(name, value);
        }
        return map;
    }

    private static bool IsOrigin(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0
        && uri.Fragment.Length == 0 && string.IsNullOrEmpty(uri.UserInfo);
}

public sealed record SiteView(string SiteId, string Name, IReadOnlyList<string> AllowedOrigins, string Currency, string TimeZone,
    IReadOnlyDictionary<string, SiteConversionView> Conversions, string Status, string CreatedAt, string UpdatedAt);

public sealed record SiteConversionView(string Name, decimal? Value);
