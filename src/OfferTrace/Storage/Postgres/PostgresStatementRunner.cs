using Npgsql;
using NpgsqlTypes;

namespace OfferTrace.Storage.Postgres;

/// <summary>
/// Queued rows travel in as few round trips as possible: plain inserts of the same statement are bulk-loaded with
/// binary COPY; everything else (upserts) goes in one auto-prepared <see cref="NpgsqlBatch"/>.
/// </summary>
internal sealed class PostgresStatementRunner(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresColumnTypes columnTypes)
    : IStatementRunner
{
    private const int CopyFromRows = 8;
    private readonly List<(SqlStatement Statement, object?[] Values)> _queued = [];

    public void Queue(SqlStatement statement, object?[] values) => _queued.Add((statement, values));

    public async Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct)
    {
        await FlushAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(statement, values));
        var result = await batch.ExecuteScalarAsync(ct);
        return result is DBNull ? null : result;
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_queued.Count == 0) return;
        var rest = new List<(SqlStatement Statement, object?[] Values)>();
        foreach (var group in _queued.GroupBy(q => q.Statement, ReferenceEqualityComparer.Instance))
        {
            var statement = (SqlStatement)group.Key!;
            if (statement.BulkTable is not null && group.Count() >= CopyFromRows) await CopyAsync(statement, group.Select(g => g.Values), ct);
            else rest.AddRange(group);
        }
        _queued.Clear();
        if (rest.Count == 0) return;
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (statement, values) in rest) batch.BatchCommands.Add(Command(statement, values));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task CopyAsync(SqlStatement statement, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var types = await columnTypes.ForAsync(connection, statement, ct);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {statement.BulkTable} ({string.Join(", ", statement.Parameters)}) FROM STDIN (FORMAT BINARY)", ct);
        // Rows are buffered and sent as the buffer fills; the synchronous writes avoid an await per value.
        foreach (var values in rows)
        {
            importer.StartRow();
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is null) importer.WriteNull();
                else importer.Write(PostgresColumnTypes.Convert(values[i]!, types[i]), types[i]);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private static NpgsqlBatchCommand Command(SqlStatement statement, object?[] values)
    {
        var command = new NpgsqlBatchCommand(statement.Sql);
        for (var i = 0; i < values.Length; i++)
        {
            var name = statement.Parameters[i];
            command.Parameters.Add(values[i] switch
            {
                null => new NpgsqlParameter(name, DBNull.Value),
                JsonText json => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json.Value },
                var v => new NpgsqlParameter(name, v),
            });
        }
        return command;
    }
}
