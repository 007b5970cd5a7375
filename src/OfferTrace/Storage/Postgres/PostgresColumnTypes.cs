using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace OfferTrace.Storage.Postgres;

/// <summary>Column types of bulk-inserted tables, read once from the catalogue: each column travels as an array of its exact type.</summary>
public sealed class PostgresColumnTypes
{
    private static readonly ConcurrentDictionary<SqlStatement, string> UnnestStatements = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<SqlStatement, NpgsqlDbType[]> _types = new(ReferenceEqualityComparer.Instance);

    /// <summary><c>INSERT INTO t (a, b) SELECT * FROM unnest(@a0, @a1)</c>: the same text, so one prepared statement, for any row count.</summary>
    public static string UnnestSql(SqlStatement statement) => UnnestStatements.GetOrAdd(statement, s =>
        $"INSERT INTO {s.BulkTable} ({string.Join(", ", s.Parameters)}) SELECT * FROM unnest({string.Join(", ", s.Parameters.Select((_, i) => "@a" + i))}) {s.BulkTail}".TrimEnd());

    /// <summary>One column of the rows as a typed array (nulls kept), ready for an array parameter.</summary>
    public static Array ColumnArray(List<object?[]> rows, int column, NpgsqlDbType type)
    {
        Array array = type switch
        {
            NpgsqlDbType.Bigint => new long?[rows.Count],
            NpgsqlDbType.Integer => new int?[rows.Count],
            NpgsqlDbType.Double => new double?[rows.Count],
            NpgsqlDbType.Boolean => new bool?[rows.Count],
            _ => new string?[rows.Count],
        };
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i][column] is { } value) array.SetValue(Convert(value, type), i);
        }
        return array;
    }

    public async ValueTask<NpgsqlDbType[]> ForAsync(NpgsqlConnection connection, SqlStatement statement, CancellationToken ct)
    {
        if (_types.TryGetValue(statement, out var known)) return known;
        var byColumn = new Dictionary<string, NpgsqlDbType>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
                         "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table", connection))
        {
            command.Parameters.AddWithValue("table", statement.BulkTable!);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) byColumn[reader.GetString(0)] = Map(reader.GetString(1));
        }
        var types = statement.Parameters.Select(p => byColumn[p]).ToArray();
        _types[statement] = types;
        return types;
    }

    public static object Convert(object value, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bigint => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Integer => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        NpgsqlDbType.Boolean => System.Convert.ToBoolean(value, CultureInfo.InvariantCulture),
        _ => value is JsonText json ? json.Value : value,
    };

    private static NpgsqlDbType Map(string dataType) => dataType switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "double precision" => NpgsqlDbType.Double,
        "boolean" => NpgsqlDbType.Boolean,
        "jsonb" => NpgsqlDbType.Jsonb,
        _ => NpgsqlDbType.Text,
    };
}
