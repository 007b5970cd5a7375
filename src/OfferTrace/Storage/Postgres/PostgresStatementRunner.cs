using Npgsql;
using NpgsqlTypes;

namespace OfferTrace.Storage.Postgres;

/// <summary>Queued statements travel together in one <see cref="NpgsqlBatch"/>: one round trip per flush, auto-prepared.</summary>
internal sealed class PostgresStatementRunner(NpgsqlConnection connection, NpgsqlTransaction transaction) : IStatementRunner
{
    private NpgsqlBatch? _batch;

    public void Queue(SqlStatement statement, object?[] values)
    {
        _batch ??= new NpgsqlBatch(connection, transaction);
        _batch.BatchCommands.Add(Command(statement, values));
    }

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
        if (_batch is null) return;
        await using var batch = _batch;
        _batch = null;
        await batch.ExecuteNonQueryAsync(ct);
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
