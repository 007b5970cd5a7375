using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OfferTrace.Storage;
using OfferTrace.Storage.Sqlite;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Storage;

public sealed class SqliteCheckpointerTests
{
    private const long RestartAbovePages = 64;

    [Fact]
    public async Task Pages_a_checkpoint_copies_are_synced_once_even_when_it_falls_behind_the_log()
    {
        Assert.True(SqliteFileSync.Available, "the SQLite library Microsoft.Data.Sqlite runs on is not reachable for a sync");
        using var directory = new TempDirectory();
        var (database, checkpointer) = await StartAsync(directory);
        await using var writer = await WriterAsync(database);
        await InsertAsync(writer, 10);
        await checkpointer.CheckpointOnceAsync(CancellationToken.None);
        var synced = checkpointer.DatabaseSyncs;
        await checkpointer.CheckpointOnceAsync(CancellationToken.None);
        Assert.Equal(synced, checkpointer.DatabaseSyncs);   // nothing new copied, nothing to sync
        await InsertAsync(writer, 10);

        // A reader on an older snapshot keeps the checkpoint from the frames written after it, as a writer that never
        // stops does: SQLite then leaves the database file unsynced, and the checkpointer syncs what was copied.
        await using var reader = (SqliteConnection)await database.OpenAsync(CancellationToken.None);
        await using (var snapshot = reader.BeginTransaction(deferred: true))
        {
            Assert.Equal(20L, await ScalarAsync(reader, "SELECT COUNT(*) FROM probe"));
            await InsertAsync(writer, 10);
            await LogPagesAsync(writer);   // SQLite's own checkpoint copies up to the reader and leaves the pages unwritten
            Assert.True(PageCache.UnwrittenPages(database.DataSource) > 0, "the copied pages were on the disk already");
            await checkpointer.CheckpointOnceAsync(CancellationToken.None);
            Assert.Equal(synced + 1, checkpointer.DatabaseSyncs);
            Assert.Equal(0, PageCache.UnwrittenPages(database.DataSource));
            await checkpointer.CheckpointOnceAsync(CancellationToken.None);
            Assert.Equal(synced + 1, checkpointer.DatabaseSyncs);
        }

        await checkpointer.CheckpointOnceAsync(CancellationToken.None);
        Assert.Equal(synced + 2, checkpointer.DatabaseSyncs);   // the rest of the log, once the reader is gone
        Assert.Equal(30L, await ScalarAsync(writer, "SELECT COUNT(*) FROM probe"));
    }

    [Fact]
    public async Task A_log_past_the_threshold_is_restarted_and_the_writer_starts_it_over()
    {
        using var directory = new TempDirectory();
        var (database, checkpointer) = await StartAsync(directory);
        await using var writer = await WriterAsync(database);
        while (await LogPagesAsync(writer) <= RestartAbovePages) await InsertAsync(writer, 20);
        var logFile = new FileInfo(database.DataSource + "-wal");
        var grownTo = logFile.Length;

        await checkpointer.CheckpointOnceAsync(CancellationToken.None);
        Assert.Equal(1, checkpointer.LogRestarts);
        for (var i = 0; i < 5; i++) await InsertAsync(writer, 1);

        Assert.True(await LogPagesAsync(writer) < 20, "the writer did not start the log over");
        logFile.Refresh();
        Assert.Equal(grownTo, logFile.Length);   // reused from its start, not grown
        Assert.Equal("ok", await ScalarAsync(writer, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_restart_gives_up_on_a_reader_of_an_older_snapshot_rather_than_hold_the_writer_for_it()
    {
        using var directory = new TempDirectory();
        var (database, checkpointer) = await StartAsync(directory);
        await using var writer = await WriterAsync(database);
        await InsertAsync(writer, 1);
        await using var reader = (SqliteConnection)await database.OpenAsync(CancellationToken.None);
        await using (var snapshot = reader.BeginTransaction(deferred: true))
        {
            var before = (long)(await ScalarAsync(reader, "SELECT COUNT(*) FROM probe"))!;
            await InsertAsync(writer, 3 * (int)RestartAbovePages);   // the log passes the threshold behind the reader

            // SQLite's own wait would be the connections' busy timeout of 30 s, with every write held behind it.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await checkpointer.CheckpointOnceAsync(CancellationToken.None);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the restart waited {clock.Elapsed} for the reader");
            Assert.Equal(0, checkpointer.LogRestarts);
            await InsertAsync(writer, 1);
            Assert.Equal(before, await ScalarAsync(reader, "SELECT COUNT(*) FROM probe"));
        }

        await checkpointer.CheckpointOnceAsync(CancellationToken.None);
        Assert.Equal(1, checkpointer.LogRestarts);
    }

    private static async Task<(SqliteDatabase, SqliteCheckpointer)> StartAsync(TempDirectory directory)
    {
        var database = new SqliteDatabase(
            Options.Create(new StorageOptions { DataDirectory = directory.Path }), new HostingEnvironment(), NullLogger<SqliteDatabase>.Instance);
        await database.MigrateAsync(CancellationToken.None);
        var checkpointer = new SqliteCheckpointer(
            database, NullLogger<SqliteCheckpointer>.Instance, TimeSpan.FromHours(1), RestartAbovePages);
        return (database, checkpointer);
    }

    private static async Task<SqliteConnection> WriterAsync(SqliteDatabase database)
    {
        var writer = (SqliteConnection)await database.OpenWriterAsync(CancellationToken.None);
        await ScalarAsync(writer, "CREATE TABLE probe (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
        return writer;
    }

    private static async Task InsertAsync(SqliteConnection writer, int rows)
    {
        await using var transaction = writer.BeginTransaction();
        for (var i = 0; i < rows; i++)
        {
            await using var insert = writer.CreateCommand();
            insert.CommandText = "INSERT INTO probe (payload) VALUES (randomblob(3000))";
            await insert.ExecuteNonQueryAsync();
        }
        transaction.Commit();
    }

    /// <summary>The log's pages, from a passive checkpoint that the writer's own connection runs (and that copies them).</summary>
    private static async Task<long> LogPagesAsync(SqliteConnection writer)
    {
        await using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var result = await command.ExecuteReaderAsync();
        await result.ReadAsync();
        return result.GetInt64(1);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
