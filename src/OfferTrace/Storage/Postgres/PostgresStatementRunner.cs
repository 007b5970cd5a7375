using Npgsql;
using NpgsqlTypes;

namespace OfferTrace.Storage.Postgres;

/// <summary>
/// Statements are queued and travel together in auto-prepared <see cref="NpgsqlBatch"/> round trips. The rows of one
/// plain insert go as a single <c>INSERT ... SELECT</c> over column arrays: one prepared statement whatever the row
/// count, with no per-row statement and no COPY set-up (measured: COPY of ~30 rows cost about 1 ms in the database).
/// A transaction without a read-back is one round trip: the batch runs as PostgreSQL's implicit transaction, which
/// commits when the batch ends. The first read-back opens an explicit transaction (BEGIN travels with it) and COMMIT
/// then travels with the last statements. A batch waits for each round trip (measured: about 1 ms each on two cores
/// shared with the database), so fewer of them means shorter commits.
/// </summary>
internal sealed class PostgresStatementRunner(NpgsqlConnection connection, PostgresColumnTypes columnTypes, RunnerCache cache) : IStatementRunner
{
    private readonly List<(SqlStatement Statement, object?[] Values)> _queued = [];
    private bool _explicit;
    private bool _committed;

    public void Queue(SqlStatement statement, object?[] values) => _queued.Add((statement, values));

    public async Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (!_explicit)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            _explicit = true;
        }
        await AddQueuedAsync(batch, ct);
        batch.BatchCommands.Add(Command(statement, values));
        var result = await batch.ExecuteScalarAsync(ct);
        return result is DBNull ? null : result;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        await AddQueuedAsync(batch, ct);
        if (_explicit) batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
        _committed = true;
    }

    /// <summary>A failed implicit transaction ended by itself; an explicit one that did not commit is rolled back here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_explicit || _committed || connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The connection is broken: the writer replaces it, and the server ends the transaction with the session.
        }
    }

    private async ValueTask AddQueuedAsync(NpgsqlBatch batch, CancellationToken ct)
    {
        foreach (var group in _queued.GroupBy(q => q.Statement, ReferenceEqualityComparer.Instance))
        {
            var statement = (SqlStatement)group.Key!;
            if (statement.BulkTable is not null && group.Skip(1).Any())
            {
                batch.BatchCommands.Add(await BulkInsertAsync(statement, group.Select(g => g.Values).ToList(), ct));
            }
            else
            {
                foreach (var (_, values) in group) batch.BatchCommands.Add(Command(statement, values));
            }
        }
        _queued.Clear();
    }

    /// <summary>
    /// The statement's command and its array parameters are made once per connection and only their values change:
    /// a parameter that keeps its value's type keeps the driver's resolved type, which new parameters would resolve
    /// again on every batch.
    /// </summary>
    private async ValueTask<NpgsqlBatchCommand> BulkInsertAsync(SqlStatement statement, List<object?[]> rows, CancellationToken ct)
    {
        var types = await columnTypes.ForAsync(connection, statement, ct);
        if (cache.Prepared.TryGetValue(statement, out var kept) && kept is BulkCommand known)
        {
            for (var column = 0; column < types.Length; column++)
                known.Command.Parameters[column].Value = PostgresColumnTypes.ColumnArray(rows, column, types[column]);
            return known.Command;
        }
        var command = new NpgsqlBatchCommand(PostgresColumnTypes.BulkInsertSql(statement));
        for (var column = 0; column < types.Length; column++)
        {
            command.Parameters.Add(new NpgsqlParameter
            {
                DataTypeName = PostgresColumnTypes.ArrayTypeName(types[column]),
                Value = PostgresColumnTypes.ColumnArray(rows, column, types[column]),
            });
        }
        cache.Prepared[statement] = new BulkCommand(command);
        return command;
    }

    private sealed class BulkCommand(NpgsqlBatchCommand command) : IDisposable
    {
        public NpgsqlBatchCommand Command { get; } = command;

        public void Dispose() { }
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
