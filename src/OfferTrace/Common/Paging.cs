namespace OfferTrace.Common;

/// <summary>The list envelope: <c>{"items": [...], "next_cursor": "..." | null}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Validates <c>limit</c>; adds an error and returns the default when it is out of range.</summary>
    public static int Limit(string? text, FieldErrors errors)
    {
        if (text is null) return DefaultLimit;
        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit) return limit;
        errors.Add("limit", $"must be a whole number from 1 to {MaxLimit}");
        return DefaultLimit;
    }

    /// <summary>Pages a sequence ordered by id, the cursor being the last id already returned.</summary>
    public static Page<TOut> ById<T, TOut>(IEnumerable<T> source, Func<T, string> id, string? cursor, int limit, Func<T, TOut> view)
    {
        var rest = source.OrderBy(id, StringComparer.Ordinal).Where(x => cursor is null || string.CompareOrdinal(id(x), cursor) > 0);
        var items = rest.Take(limit + 1).ToList();
        var next = items.Count > limit ? id(items[limit - 1]) : null;
        return new Page<TOut>(items.Take(limit).Select(view).ToList(), next);
    }
}
