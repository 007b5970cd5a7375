using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OfferTrace.Storage.Sqlite;

/// <summary>The embedded default: one file in WAL mode; the writer holds its own connection.</summary>
public sealed class SqliteDatabase : Database
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly ILogger<SqliteDatabase> _logger;

    public SqliteDatabase(IOptions<StorageOptions> options, IHostEnvironment environment, ILogger<SqliteDatabase> logger)
    {
        var o = options.Value;
        _logger = logger;
        _synchronous = o.SqliteSynchronous;
        var builder = new SqliteConnectionStringBuilder(o.ConnectionString ?? "");
        if (string.IsNullOrEmpty(builder.DataSource))
        {
            var directory = Path.GetFullPath(o.DataDirectory);
            Directory.CreateDirectory(directory);
            builder.DataSource = Path.Combine(directory, "offertrace.db");
        }
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string DataSource { get; }

    /// <summary>How long a statement waits for another connection's lock before it fails.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    public override string Provider => "sqlite";

    /// <summary>SQLite allows one writer at a time.</summary>
    public override int DefaultWriters => 1;

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = {_synchronous}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// The writer keeps a large page cache (index pages stay in memory as tables grow) and leaves WAL checkpoints to
    /// <see cref="SqliteCheckpointer"/>, so a commit never pays for copying the log back into the database.
    /// </summary>
    public override async Task<DbConnection> OpenWriterAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public override async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(ct);
        }
        await Migrator.ApplyAsync(connection, "Sqlite", _logger, ct);
    }

    public override ValueTask<IStatementRunner> BeginWriteAsync(DbConnection connection, RunnerCache cache, CancellationToken ct) =>
        ValueTask.FromResult<IStatementRunner>(new SqliteStatementRunner((SqliteConnection)connection, cache));

    /// <summary>In WAL mode a deferred transaction reads one snapshot from its first read on, and takes no write lock.</summary>
    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: true));

    public override bool IsUniqueViolation(Exception e) =>
        e is SqliteException { SqliteErrorCode: 19 } s && s.Message.Contains("UNIQUE", StringComparison.Ordinal);
}
