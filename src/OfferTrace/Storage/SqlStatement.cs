namespace OfferTrace.Storage;

/// <summary>
/// One parameterised statement shared by both providers (<c>@name</c> parameters, values given in the order
/// of <see cref="Parameters"/>). Runners prepare it once per connection.
/// </summary>
public sealed class SqlStatement(string sql, params string[] parameters)
{
    public string Sql { get; } = sql;
    public string[] Parameters { get; } = parameters;

    /// <summary>For a plain insert (no ON CONFLICT, no RETURNING): its table, so providers may bulk-load its rows.</summary>
    public string? BulkTable { get; private init; }

    /// <summary>Builds <c>INSERT INTO table (a, b) VALUES (@a, @b)</c> plus an optional tail (ON CONFLICT ...).</summary>
    public static SqlStatement Insert(string table, string columns, string tail = "")
    {
        var names = columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sql = $"INSERT INTO {table} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(n => "@" + n))}) {tail}";
        return new SqlStatement(sql.TrimEnd(), names) { BulkTable = tail.Length == 0 ? table : null };
    }
}

/// <summary>A string to be stored in a JSON column (jsonb on PostgreSQL, text on SQLite).</summary>
public readonly record struct JsonText(string Value);
