using OfferTrace.Common;

namespace OfferTrace.Catalog;

public static class PlacementsApi
{
    public static readonly CatalogResource<Placement> Resource = new()
    {
        Route = "/placements",
        Table = "placements",
        IdColumn = "placement_id",
        All = s => s.Placements.Values,
        Id = p => p.PlacementId,
        View = p => new PlacementView(p.PlacementId, p.PublisherId, p.Name, p.Kind, Timestamps.Format(p.CreatedAt), Timestamps.Format(p.UpdatedAt)),
        Parse = Parse,
        CheckReferences = (v, s) => s.Publishers.ContainsKey((string)v["publisher_id"]!)
            ? null
            : Problems.Unprocessable($"Unknown publisher_id '{v["publisher_id"]}'.", "publisher_id"),
        Delete = (store, id, _, ct) => store.DeletePlacementAsync(id, ct),
    };

    private static Dictionary<string, object?>? Parse(FieldReader r, string? pathId, long now)
    {
        var id = CatalogFields.Id(r, "placement_id", pathId);
        var publisher = r.Id("publisher_id", required: true);
        var name = r.String("name", maxLength: 200) ?? id;
        var kind = r.String("kind") ?? "web";
        if (kind is not ("web" or "ios" or "android")) r.Add("kind", "must be one of web, ios, android");
        if (r.Errors.Any) return null;
        return new()
        {
            ["placement_id"] = id, ["publisher_id"] = publisher, ["name"] = name, ["kind"] = kind, ["created_at"] = now, ["updated_at"] = now,
        };
    }
}

public sealed record PlacementView(string PlacementId, string PublisherId, string Name, string Kind, string CreatedAt, string UpdatedAt);
