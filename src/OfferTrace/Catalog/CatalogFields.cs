using System.Net;
using System.Text.Json;
using OfferTrace.Common;

namespace OfferTrace.Catalog;

/// <summary>Field rules shared by catalogue resources.</summary>
internal static class CatalogFields
{
    /// <summary>The resource id: from the body on create; on update the path wins and a differing body id is an error.</summary>
    public static string? Id(FieldReader r, string name, string? pathId)
    {
        var id = r.Id(name, required: pathId is null);
        if (pathId is not null && id is not null && id != pathId) r.Add(name, "must match the id in the path");
        return pathId ?? id;
    }

    public static decimal? Percent(FieldReader r, string name, decimal? fallback)
    {
        var value = r.Amount(name);
        if (value > 100) r.Add(name, "must be between 0 and 100");
        return value ?? fallback;
    }

    public static string Status(FieldReader r, params string[] allowed)
    {
        var status = r.String("status") ?? allowed[0];
        if (!allowed.Contains(status)) r.Add("status", $"must be one of {string.Join(", ", allowed)}");
        return status;
    }

    public static string? AbsoluteHttpUrl(FieldReader r, string name, bool required)
    {
        var url = r.String(name, required, 4096);
        if (url is not null && !(Uri.TryCreate(url.Replace("{", "").Replace("}", ""), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            r.Add(name, "must be an absolute http or https URL");
        return url;
    }

    public static List<string> StringList(FieldReader r, string name, Func<string, bool>? valid = null, string? rule = null)
    {
        var list = new List<string>();
        if (r.Element(name, JsonValueKind.Array) is not { } array) return list;
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || (valid is not null && !valid(item.GetString()!)))
                r.Add($"{name}[{i}]", rule ?? "must be a string");
            else list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    public static Dictionary<string, string> StringMap(FieldReader r, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Element(name, JsonValueKind.Object) is not { } obj) return map;
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String) map[p.Name] = p.Value.GetString()!;
            else r.Add($"{name}.{p.Name}", "must be a string");
        }
        return map;
    }

    public static bool IsIpOrCidr(string s) => IPAddress.TryParse(s, out _) || IPNetwork.TryParse(s, out _);
}
