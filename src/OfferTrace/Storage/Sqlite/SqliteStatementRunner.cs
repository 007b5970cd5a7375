using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfferTrace.Storage.Sqlite;

/// <summary>
/// SQLite runs in process, so each statement executes at once. The writer's hot path talks to SQLite's C API
/// directly (prepare once, bind by position, step, reset): the ADO.NET layer's per-call work — looking every
/// parameter up by name, enumerating statements — cost more than the insert itself.
/// </summary>
internal sealed class SqliteStatementRunner(SqliteConnection connection, RunnerCache cache) : IStatementRunner
{
    private readonly SqliteTransaction _transaction = connection.BeginTransaction();

    public void Queue(SqlStatement statement, object?[] values)
    {
        var prepared = Bind(statement, values);
        var rc = raw.sqlite3_step(prepared.Handle);
        prepared.Reset();
        if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW)) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    public Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct)
    {
        var prepared = Bind(statement, values);
        try
        {
            var rc = raw.sqlite3_step(prepared.Handle);
            if (rc == raw.SQLITE_DONE) return Task.FromResult<object?>(null);
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            object? value = raw.sqlite3_column_type(prepared.Handle, 0) switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(prepared.Handle, 0),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(prepared.Handle, 0),
                raw.SQLITE_TEXT => raw.sqlite3_column_text(prepared.Handle, 0).utf8_to_string(),
                _ => null,
            };
            return Task.FromResult(value);
        }
        finally
        {
            prepared.Reset();
        }
    }

    public Task CommitAsync(CancellationToken ct)
    {
        _transaction.Commit();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _transaction.Dispose();
        return ValueTask.CompletedTask;
    }

    private PreparedStatement Bind(SqlStatement statement, object?[] values)
    {
        if (!cache.Prepared.TryGetValue(statement, out var cached))
            cache.Prepared[statement] = cached = PreparedStatement.Create(connection.Handle!, statement);
        var prepared = (PreparedStatement)cached;
        var stmt = prepared.Handle;
        for (var i = 0; i < values.Length; i++)
        {
            var index = prepared.Indexes[i];
            var rc = values[i] switch
            {
                null => raw.sqlite3_bind_null(stmt, index),
                string s => raw.sqlite3_bind_text(stmt, index, s),
                long l => raw.sqlite3_bind_int64(stmt, index, l),
                int n => raw.sqlite3_bind_int64(stmt, index, n),
                bool b => raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(stmt, index, d),
                JsonText json => raw.sqlite3_bind_text(stmt, index, json.Value),
                var other => throw new NotSupportedException($"Cannot bind a {other.GetType().Name} to SQLite."),
            };
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
        return prepared;
    }

    private sealed class PreparedStatement(sqlite3_stmt handle, int[] indexes) : IDisposable
    {
        public sqlite3_stmt Handle { get; } = handle;

        /// <summary>The SQL parameter index of each value, in the order of <see cref="SqlStatement.Parameters"/>.</summary>
        public int[] Indexes { get; } = indexes;

        public static PreparedStatement Create(sqlite3 db, SqlStatement statement)
        {
            var rc = raw.sqlite3_prepare_v2(db, statement.Sql, out var stmt);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
            var indexes = statement.Parameters.Select(name => raw.sqlite3_bind_parameter_index(stmt, "@" + name)).ToArray();
            if (indexes.Any(i => i == 0)) throw new InvalidOperationException($"A parameter of '{statement.Sql}' is missing from its text.");
            return new PreparedStatement(stmt, indexes);
        }

        public void Reset()
        {
            raw.sqlite3_reset(Handle);
            raw.sqlite3_clear_bindings(Handle);
        }

        public void Dispose() => Handle.Dispose();
    }
}
