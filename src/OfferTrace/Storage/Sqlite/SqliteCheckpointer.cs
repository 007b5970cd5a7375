using Microsoft.Data.Sqlite;

namespace OfferTrace.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file in the background. Passive checkpoints never block the
/// writer; when the log has grown large a restarting one lets the writer start it over.
/// </summary>
public sealed partial class SqliteCheckpointer(Database database, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    // 16 MB of log. With 64 MB, a restart under sustained load held the writer for a 40 ms sync of the database file
    // and the requests' p99 rose to 32-45 ms on a disk with slow large syncs; with 4 to 16 MB it stayed at 19-24 ms, at
    // some cost in rate (bench/README.md, "The SQLite tail and the size of its log").
    private const long RestartAbovePages = 4_096;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = (SqliteConnection)await database.OpenAsync(stoppingToken);
                var logPages = await CheckpointAsync(connection, "PASSIVE", stoppingToken);
                // A passive checkpoint never finishes while writes keep coming, so the log only grows; once it is large,
                // a restarting checkpoint copies the little that is left and lets the writer start the log over.
                if (logPages > RestartAbovePages) await CheckpointAsync(connection, "RESTART", stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCheckpointFailed(e);
            }
        }
    }

    private static async Task<long> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(1) : 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint failed; retrying")]
    private partial void LogCheckpointFailed(Exception error);
}
