using Microsoft.Data.Sqlite;

namespace OfferTrace.Storage.Sqlite;

/// <summary>SQLite runs in process: each statement executes at once through a command prepared once per connection.</summary>
internal sealed class SqliteStatementRunner(SqliteConnection connection, SqliteTransaction transaction, RunnerCache cache) : IStatementRunner
{
    public void Queue(SqlStatement statement, object?[] values) => Bind(statement, values).ExecuteNonQuery();

    public Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct)
    {
        var result = Bind(statement, values).ExecuteScalar();
        return Task.FromResult(result is DBNull ? null : result);
    }

    public Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

    private SqliteCommand Bind(SqlStatement statement, object?[] values)
    {
        if (!cache.Commands.TryGetValue(statement, out var cached))
        {
            var created = connection.CreateCommand();
            created.CommandText = statement.Sql;
            foreach (var name in statement.Parameters) created.Parameters.Add(new SqliteParameter("@" + name, null));
            created.Prepare();
            cache.Commands[statement] = cached = created;
        }
        var command = (SqliteCommand)cached;
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                JsonText json => json.Value,
                var v => v,
            };
        }
        return command;
    }
}
