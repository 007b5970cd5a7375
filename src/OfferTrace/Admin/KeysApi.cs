using OfferTrace.Common;

namespace OfferTrace.Admin;

public static class KeysApi
{
    public static void MapKeys(this RouteGroupBuilder admin)
    {
        var keys = admin.MapGroup("/keys");
        keys.MapPost("/", async (HttpRequest request, ApiKeyStore store, CatalogLookup catalog, CancellationToken ct) =>
        {
            var (document, problem) = await JsonBody.ReadAsync(request, allowTextPlain: false, ct);
            if (problem is not null) return problem;
            using (document)
            {
                var r = new FieldReader(document!.RootElement, new FieldErrors());
                var name = r.String("name", required: true, maxLength: 200);
                var scope = r.String("scope", required: true, maxLength: 80);
                if (scope is not null && !Caller.IsValidScope(scope)) r.Add("scope", "must be 'admin' or 'publisher:<publisher_id>'");
                if (r.Errors.Any) return Problems.Validation(r.Errors.ToDictionary());
                var publisher = new Caller("", scope!).PublisherId;
                if (publisher is not null && !catalog.PublisherExists(publisher))
                    return Problems.Unprocessable($"Unknown publisher_id '{publisher}'.", "scope");
                var (keyId, key) = await store.CreateAsync(name!, scope!, ct);
                return TypedResults.Created($"/api/admin/keys/{keyId}", new CreatedKey(keyId, key, scope!));
            }
        });
        keys.MapGet("/", async (ApiKeyStore store, CancellationToken ct) => TypedResults.Ok(new Page<ApiKeyView>(await store.ListAsync(ct), null)));
        keys.MapDelete("/{keyId}", async (string keyId, ApiKeyStore store, CancellationToken ct) =>
            await store.RevokeAsync(keyId, ct) ? (IResult)TypedResults.NoContent() : Problems.NotFound($"No key '{keyId}'."));
    }
}

public sealed record CreatedKey(string KeyId, string Key, string Scope);

/// <summary>Catalogue questions the admin features ask.</summary>
public sealed class CatalogLookup(Catalog.CatalogCache cache)
{
    public bool PublisherExists(string publisherId) => cache.Current.Publishers.ContainsKey(publisherId);
}
