using OfferTrace.Common;

namespace OfferTrace.Catalog;

public static class NetworksApi
{
    public static readonly CatalogResource<Network> Resource = new()
    {
        Route = "/networks",
        Table = "networks",
        IdColumn = "network_id",
        All = s => s.Networks.Values,
        Id = n => n.NetworkId,
        View = n => new NetworkView(n.NetworkId, n.Name, n.AuthScheme, n.PostbackToken is not null, n.PostbackSecret is not null,
            n.HashAlgorithm, n.HashFields, n.HashSeparator, n.AllowedIps, n.ParamMap, n.StatusMap, Timestamps.Format(n.CreatedAt),
            Timestamps.Format(n.UpdatedAt)),
        Parse = Parse,
        Delete = (store, id, _, ct) => store.DeleteNetworkAsync(id, ct),
    };

    private static readonly string[] OurStatuses = ["approved", "pending", "rejected", "reversed"];

    private static Dictionary<string, object?>? Parse(FieldReader r, string? pathId, long now)
    {
        var id = CatalogFields.Id(r, "network_id", pathId);
        var name = r.String("name", maxLength: 200) ?? id;
        var scheme = r.String("auth_scheme") ?? AuthSchemes.Token;
        if (!AuthSchemes.All.Contains(scheme)) r.Add("auth_scheme", $"must be one of {string.Join(", ", AuthSchemes.All)}");
        var token = r.String("postback_token", maxLength: 256);
        var secret = r.String("postback_secret", maxLength: 256);
        if (scheme == AuthSchemes.Token && string.IsNullOrEmpty(token)) r.Add("postback_token", "is required with auth_scheme token");
        if (scheme != AuthSchemes.Token && string.IsNullOrEmpty(secret)) r.Add("postback_secret", $"is required with auth_scheme {scheme}");
        var algorithm = r.String("hash_algorithm");
        if (algorithm is not (null or "md5" or "sha256")) r.Add("hash_algorithm", "must be md5 or sha256");
        var fields = CatalogFields.StringList(r, "hash_fields");
        if (scheme == AuthSchemes.HashConcat && fields.Count == 0) r.Add("hash_fields", "is required with auth_scheme hash_concat");
        var separator = r.String("hash_separator", maxLength: 16) ?? "";
        var ips = CatalogFields.StringList(r, "allowed_ips", CatalogFields.IsIpOrCidr, "must be an IP address or CIDR range");
        var paramMap = CatalogFields.StringMap(r, "param_map");
        var statusMap = CatalogFields.StringMap(r, "status_map");
        foreach (var (theirs, ours) in statusMap)
        {
            if (!OurStatuses.Contains(ours)) r.Add($"status_map.{theirs}", $"must map to one of {string.Join(", ", OurStatuses)}");
        }
        if (r.Errors.Any) return null;
        return new()
        {
            ["network_id"] = id, ["name"] = name, ["auth_scheme"] = scheme, ["postback_token"] = token, ["postback_secret"] = secret,
            ["hash_algorithm"] = algorithm ?? (scheme == AuthSchemes.HashConcat ? "md5" : null), ["hash_fields"] = CatalogStore.Json(fields),
            ["hash_separator"] = separator, ["allowed_ips"] = CatalogStore.Json(ips), ["param_map"] = CatalogStore.Json(paramMap),
            ["status_map"] = CatalogStore.Json(statusMap), ["created_at"] = now, ["updated_at"] = now,
        };
    }
}

public sealed record NetworkView(string NetworkId, string Name, string AuthScheme, bool HasPostbackToken, bool HasPostbackSecret,
    string? HashAlgorithm, IReadOnlyList<string> HashFields, string HashSeparator, IReadOnlyList<string> AllowedIps,
    IReadOnlyDictionary<string, string> ParamMap, IReadOnlyDictionary<string, string> StatusMap, string CreatedAt, string UpdatedAt);
