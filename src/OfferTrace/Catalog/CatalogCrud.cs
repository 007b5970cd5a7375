using Microsoft.AspNetCore.Http.HttpResults;
using OfferTrace.Common;

namespace OfferTrace.Catalog;

public static class CatalogCrud
{
    public static void MapResource<T>(this RouteGroupBuilder admin, CatalogResource<T> r)
    {
        var group = admin.MapGroup(r.Route);

        group.MapGet("/", (string? cursor, string? limit, CatalogCache cache) =>
        {
            var errors = new FieldErrors();
            var take = Paging.Limit(limit, errors);
            if (errors.Any) return (IResult)Problems.Validation(errors.ToDictionary());
            return TypedResults.Ok(Paging.ById(r.All(cache.Current), r.Id, cursor, take, r.View));
        });

        group.MapGet("/{id}", Results<Ok<object>, ProblemHttpResult> (string id, CatalogCache cache) =>
            Find(r, cache, id) is { } found ? TypedResults.Ok(r.View(found)) : Problems.NotFound($"No {r.IdColumn} '{id}'."));

        group.MapPost("/", async (HttpRequest request, CatalogStore store, CatalogCache cache, TimeProvider time, CancellationToken ct) =>
        {
            var (values, problem) = await ReadAsync(r, request, null, cache, time, ct);
            if (problem is not null) return problem;
            if (!await store.InsertAsync(r.Table, values!, ct)) return Problems.Conflict($"{r.IdColumn} '{values![r.IdColumn]}' already exists.");
            await cache.ReloadAsync(ct);
            var id = (string)values![r.IdColumn]!;
            return TypedResults.Created($"{request.PathBase}{request.Path.Value!.TrimEnd('/')}/{id}", r.View(Find(r, cache, id)!));
        });

        group.MapPut("/{id}", async (string id, HttpRequest request, CatalogStore store, CatalogCache cache, TimeProvider time, CancellationToken ct) =>
        {
            if (Find(r, cache, id) is null) return Problems.NotFound($"No {r.IdColumn} '{id}'.");
            var (values, problem) = await ReadAsync(r, request, id, cache, time, ct);
            if (problem is not null) return problem;
            if (!await store.UpdateAsync(r.Table, r.IdColumn, values!, ct)) return Problems.NotFound($"No {r.IdColumn} '{id}'.");
            await cache.ReloadAsync(ct);
            return TypedResults.Ok(r.View(Find(r, cache, id)!));
        });

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, CatalogStore store, CatalogCache cache, TimeProvider time, CancellationToken ct) =>
        {
            switch (await r.Delete(store, id, Timestamps.ToMs(time.GetUtcNow()), ct))
            {
                case DeleteResult.NotFound: return Problems.NotFound($"No {r.IdColumn} '{id}'.");
                case DeleteResult.InUse: return Problems.Conflict($"{r.IdColumn} '{id}' is still referred to; remove what refers to it first.");
            }
            await cache.ReloadAsync(ct);
            return TypedResults.NoContent();
        });
    }

    private static T? Find<T>(CatalogResource<T> r, CatalogCache cache, string id) =>
        r.All(cache.Current).FirstOrDefault(x => r.Id(x) == id);

    private static async Task<(Dictionary<string, object?>? Values, IResult? Problem)> ReadAsync<T>(
        CatalogResource<T> r, HttpRequest request, string? pathId, CatalogCache cache, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, allowTextPlain: false, ct);
        if (problem is not null) return (null, problem);
        using (document)
        {
            var reader = new FieldReader(document!.RootElement, new FieldErrors());
            var values = r.Parse(reader, pathId, Timestamps.ToMs(time.GetUtcNow()));
            if (reader.Errors.Any || values is null) return (null, Problems.Validation(reader.Errors.ToDictionary()));
            return r.CheckReferences(values, cache.Current) is { } refProblem ? (null, refProblem) : (values, null);
        }
    }
}
