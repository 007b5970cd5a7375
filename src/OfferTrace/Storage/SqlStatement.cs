namespace OfferTrace.Storage;

/// <summary>
/// One parameterised statement shared by both providers (<c>@name</c> parameters, values given in the order
/// of <see cref="Parameters"/>). Runners prepare it once per connection.
/// </summary>
public sealed class SqlStatement(string sql, params string[] parameters)
{
    public string Sql { get; } = sql;
    public string[] Parameters { get; } = parameters;

    /// <summary>
    /// For an insert whose rows may travel together (no RETURNING; with ON CONFLICT only when no batch repeats a
    /// conflict key): its table, so providers may send a batch's rows as one statement.
    /// </summary>
    public string? BulkTable { get; private init; }

    /// <summary>The ON CONFLICT clause of a bulk upsert (empty for a plain insert).</summary>
    public string BulkTail { get; private init; } = "";

    /// <summary>Builds <c>INSERT INTO table (a, b) VALUES (@a, @b)</c> plus an optional tail (ON CONFLICT ...).</summary>
    public static SqlStatement Insert(string table, string columns, string tail = "")
    {
        var names = columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sql = $"INSERT INTO {table} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(n => "@" + n))}) {tail}";
        return new SqlStatement(sql.TrimEnd(), names) { BulkTable = tail.Length == 0 ? table : null };
    }

    /// <summary>An upsert whose rows never repeat a conflict key within one batch, so they may travel as one statement.</summary>
    public static SqlStatement BulkUpsert(string table, string columns, string conflictTail)
    {
        var insert = Insert(table, columns, conflictTail);
        return new SqlStatement(insert.Sql, insert.Parameters) { BulkTable = table, BulkTail = conflictTail };
    }
}

/// <summary>A string to be stored in a JSON column (jsonb on PostgreSQL, text on SQLite).</summary>
public readonly record struct JsonText(string Value);
