using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace OfferTrace.Storage.Postgres;

/// <summary>Column types of bulk-loaded tables, read once from the catalogue: binary COPY needs each value in its column's exact type.</summary>
public sealed class PostgresColumnTypes
{
    private readonly ConcurrentDictionary<SqlStatement, NpgsqlDbType[]> _types = new(ReferenceEqualityComparer.Instance);

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
