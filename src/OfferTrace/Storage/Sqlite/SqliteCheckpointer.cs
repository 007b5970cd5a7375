using Microsoft.Data.Sqlite;

namespace OfferTrace.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file in the background, so that the writer never does. Passive
/// checkpoints never block the writer; when the log has grown large a restarting one lets the writer start it over.
/// </summary>
/// <remarks>
/// SQLite syncs the database file at the end of a checkpoint only when no frame was added to the log meanwhile. Under
/// a writer that never stops that is rare: the pages passive checkpoints copy stay unsynced in the page cache, and the
/// restarting checkpoint then synced all of them while it held the writer (39 ms on a disk with slow large syncs; the
/// writer, asleep in SQLite's busy handler, woke even later). What a checkpoint reports cannot tell the two cases
/// apart (it counts the frames of the log as it was when the checkpoint began), so every passive checkpoint that
/// copied pages is followed by a sync of the database file here, outside every lock, and the restart is left the last
/// few pages. Measured at 64 connections: p99 8-12 ms instead of 20-25 (bench/README.md, "The SQLite tail").
/// </remarks>
public sealed partial class SqliteCheckpointer : BackgroundService
{
    // 16 MB of log: the -wal file stays small for readers and disk alike; with the database synced above, a larger log
    // gained no rate in the measurements.
    internal const long DefaultRestartAbovePages = 4_096;
    private const int RestartWaitMilliseconds = 20;

    private readonly Database _database;
    private readonly ILogger<SqliteCheckpointer> _logger;
    private readonly TimeSpan _interval;
    private readonly long _restartAbovePages;
    private long _syncedThrough;
    private long _databaseSyncs;
    private long _logRestarts;
    private bool _syncUnavailableLogged;

    public SqliteCheckpointer(Database database, ILogger<SqliteCheckpointer> logger)
        : this(database, logger, TimeSpan.FromMilliseconds(200), DefaultRestartAbovePages)
    {
    }

    internal SqliteCheckpointer(Database database, ILogger<SqliteCheckpointer> logger, TimeSpan interval, long restartAbovePages)
    {
        _database = database;
        _logger = logger;
        _interval = interval;
        _restartAbovePages = restartAbovePages;
    }

    /// <summary>Syncs of the database file made after passive checkpoints.</summary>
    public long DatabaseSyncs => Interlocked.Read(ref _databaseSyncs);

    /// <summary>Restarting checkpoints that found the whole log copied, so that the writer starts it over.</summary>
    public long LogRestarts => Interlocked.Read(ref _logRestarts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckpointOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCheckpointFailed(e);
            }
        }
    }

    internal async Task CheckpointOnceAsync(CancellationToken ct)
    {
        await using var connection = (SqliteConnection)await _database.OpenAsync(ct);
        var (_, logPages, copied) = await CheckpointAsync(connection, "PASSIVE", ct);
        if (copied != _syncedThrough) SyncCopiedPages(connection, copied);
        // A passive checkpoint never finishes while writes keep coming, so the log only grows; once it is large, a
        // restarting checkpoint copies the little that is left and lets the writer start the log over.
        if (logPages > _restartAbovePages)
        {
            // A restart holds the writer while it waits for readers of older snapshots (a long analytics query): it
            // gives up soon and tries again at the next tick rather than stall every request for the reader.
            await SetBusyTimeoutAsync(connection, RestartWaitMilliseconds, ct);
            try
            {
                var (busy, _, done) = await CheckpointAsync(connection, "RESTART", ct);
                if (!busy)
                {
                    Interlocked.Increment(ref _logRestarts);
                    _syncedThrough = done;   // synced by the restart itself
                }
            }
            finally
            {
                await SetBusyTimeoutAsync(connection, SqliteDatabase.BusyTimeoutMilliseconds, CancellationToken.None);
            }
        }
    }

    private void SyncCopiedPages(SqliteConnection connection, long copied)
    {
        if (copied <= 0) return;
        if (!SqliteFileSync.Available)
        {
            // Restarts then sync on their own, as SQLite always does; said once.
            if (!_syncUnavailableLogged) LogSyncUnavailable();
            _syncUnavailableLogged = true;
            return;
        }
        if (!SqliteFileSync.SyncDatabaseFile(connection)) throw new IOException("SQLite could not sync the database file.");
        _syncedThrough = copied;
        Interlocked.Increment(ref _databaseSyncs);
    }

    /// <summary>
    /// Runs a checkpoint; returns whether it could not finish (a restart still waiting for the writer or a reader), the
    /// log's pages, and how many of them are now in the database file.
    /// </summary>
    private static async Task<(bool Busy, long LogPages, long Copied)> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2)) : (false, 0, 0);
    }

    private static async Task SetBusyTimeoutAsync(SqliteConnection connection, int milliseconds, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {milliseconds}";
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint failed; retrying")]
    private partial void LogCheckpointFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite library cannot be reached to sync the database file between checkpoints; log restarts will hold the writer longer")]
    private partial void LogSyncUnavailable();
}
