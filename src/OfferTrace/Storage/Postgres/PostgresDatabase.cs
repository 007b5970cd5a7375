using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OfferTrace.Storage.Postgres;

/// <summary>PostgreSQL through Npgsql's pooled data source.</summary>
public sealed class PostgresDatabase : Database, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresDatabase> _logger;
    private readonly PostgresColumnTypes _columnTypes = new();

    public PostgresDatabase(IOptions<StorageOptions> options, ILogger<PostgresDatabase> logger)
    {
        _logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Provider => "postgres";

    /// <summary>One writer makes the largest batches; measured best with the database on the same small machine.</summary>
    public override int DefaultWriters => 1;

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    public override async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using (var lockCommand = connection.CreateCommand())
        {
            // Several processes may start together: one migrates, the others wait for it.
            lockCommand.CommandText = "SELECT pg_advisory_lock(7314700)";
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await Migrator.ApplyAsync(connection, "Postgres", _logger, ct);
        }
        finally
        {
            await using var unlock = connection.CreateCommand();
            unlock.CommandText = "SELECT pg_advisory_unlock(7314700)";
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Nothing travels yet: see <see cref="PostgresStatementRunner"/> for when BEGIN and COMMIT are sent.</summary>
    public override ValueTask<IStatementRunner> BeginWriteAsync(DbConnection connection, RunnerCache cache, CancellationToken ct) =>
        ValueTask.FromResult<IStatementRunner>(new PostgresStatementRunner((NpgsqlConnection)connection, _columnTypes, cache));

    public override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

    public override bool IsUniqueViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
