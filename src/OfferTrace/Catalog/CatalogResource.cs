using Microsoft.AspNetCore.Http.HttpResults;
using OfferTrace.Common;

namespace OfferTrace.Catalog;

/// <summary>What differs between catalogue resources; <see cref="CatalogCrud"/> maps the five routes of each.</summary>
public sealed class CatalogResource<T>
{
    public required string Route { get; init; }
    public required string Table { get; init; }
    public required string IdColumn { get; init; }
    public required Func<CatalogSnapshot, IEnumerable<T>> All { get; init; }
    public required Func<T, string> Id { get; init; }
    public required Func<T, object> View { get; init; }

    /// <summary>Validates a body into column values (null when the reader collected errors).</summary>
    public required Func<FieldReader, string?, long, Dictionary<string, object?>?> Parse { get; init; }

    /// <summary>Checks references to other catalogue rows; returns the problem or null.</summary>
    public Func<Dictionary<string, object?>, CatalogSnapshot, ProblemHttpResult?> CheckReferences { get; init; } = (_, _) => null;

    public required Func<CatalogStore, string, long, CancellationToken, Task<DeleteResult>> Delete { get; init; }
}
