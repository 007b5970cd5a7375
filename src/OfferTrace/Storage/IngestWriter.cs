using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OfferTrace.Diagnostics;

namespace OfferTrace.Storage;

/// <summary>
/// The single writer: drains the bounded queue into batches and writes each batch in one transaction
/// (group commit). A request's task completes only after the commit of the batch that holds its event.
/// </summary>
public sealed partial class IngestWriter : IHostedService
{
    private readonly Channel<IngestItem> _queue;
    private readonly Database _database;
    private readonly StorageOptions _options;
    private readonly OfferTraceMetrics _metrics;
    private readonly ILogger<IngestWriter> _logger;
    private readonly int _writers;
    private Task[] _loops = [];

    public IngestWriter(Database database, IOptions<StorageOptions> options, OfferTraceMetrics metrics, ILogger<IngestWriter> logger)
    {
        _database = database;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _writers = _options.Writers > 0 ? _options.Writers : database.DefaultWriters;
        _queue = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = _writers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.ObserveQueueDepth(() => _queue.Reader.Count);
    }

    public int RetryAfterSeconds => _options.RetryAfterSeconds;

    /// <summary>True when an item failed because its id (or transaction) already exists.</summary>
    public bool IsConflict(Exception e) => _database.IsUniqueViolation(e);

    /// <summary>Queues without waiting; false when the queue is full or the writer is stopping (answer 503).</summary>
    public bool TryEnqueue(IngestItem item) => _queue.Writer.TryWrite(item);

    /// <summary>Queues, waiting for room: back-pressure for streamed imports.</summary>
    public ValueTask EnqueueAsync(IngestItem item, CancellationToken ct) => _queue.Writer.WriteAsync(item, ct);

    /// <summary>
    /// Starts the writer loops: one on SQLite (a single writer is all it allows); several on PostgreSQL, so that one
    /// batch's inserts overlap another's commit. Each loop has its own connection and transaction.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loops = Enumerable.Range(0, _writers).Select(shard => Task.Run(() => RunAsync(new WriterConnection(shard)), CancellationToken.None)).ToArray();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking events and drains every accepted one to storage.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
    }

    private async Task RunAsync(WriterConnection writer)
    {
        var batch = new List<IngestItem>(_options.BatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _options.BatchSize && reader.TryRead(out var item)) batch.Add(item);
            if (_options.LingerMilliseconds > 0 && batch.Count < _options.BatchSize)
            {
                using var linger = new CancellationTokenSource(_options.LingerMilliseconds);
                try
                {
                    while (batch.Count < _options.BatchSize && await reader.WaitToReadAsync(linger.Token))
                    {
                        while (batch.Count < _options.BatchSize && reader.TryRead(out var item)) batch.Add(item);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
            await WriteBatchAsync(writer, batch);
            batch.Clear();
        }
        await writer.CloseAsync();
    }

    private async Task WriteBatchAsync(WriterConnection writer, List<IngestItem> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await WriteInTransactionAsync(writer, batch);
            var took = Stopwatch.GetElapsedTime(started);
            if (_options.SlowBatchMilliseconds > 0 && took.TotalMilliseconds >= _options.SlowBatchMilliseconds)
                LogSlowBatch((long)took.TotalMilliseconds, batch.Count);
            foreach (var item in batch) item.Committed();
            _metrics.BatchWritten(batch.Count, took);
        }
        catch (Exception error) when (batch.Count > 1)
        {
            // One bad event must not sink its neighbours: write each alone to find it.
            if (_database.IsUniqueViolation(error)) LogBatchConflict(batch.Count);
            else LogBatchRetried(batch.Count, error);
            foreach (var item in batch)
            {
                try
                {
                    await WriteInTransactionAsync(writer, [item]);
                    item.Committed();
                }
                catch (Exception itemError)
                {
                    // A duplicate id is the caller's mistake, answered 409; only other failures are errors.
                    if (!_database.IsUniqueViolation(itemError)) LogItemFailed(itemError);
                    item.Failed(itemError);
                }
            }
        }
        catch (Exception error)
        {
            if (!_database.IsUniqueViolation(error)) LogItemFailed(error);
            batch[0].Failed(error);
        }
    }

    private async Task WriteInTransactionAsync(WriterConnection writer, List<IngestItem> items)
    {
        var connection = writer.Connection ??= await _database.OpenWriterAsync(CancellationToken.None);
        try
        {
            await using var runner = await _database.BeginWriteAsync(connection, writer.Cache, CancellationToken.None);
            writer.Rollups.Clear();
            var context = new WriteContext(runner, _database, writer.Rollups);
            foreach (var item in items) await item.WriteAsync(context, CancellationToken.None);
            context.Rollups.Write(runner);
            await runner.CommitAsync(CancellationToken.None);
        }
        catch (Exception error) when (!_database.IsUniqueViolation(error))
        {
            // The connection may be broken; start the next attempt on a fresh one.
            await writer.CloseAsync();
            throw;
        }
    }

    /// <summary>One writer loop's connection, the statements prepared on it, and its rollup shard's counters (reused by every batch).</summary>
    private sealed class WriterConnection(int shard)
    {
        public DbConnection? Connection { get; set; }
        public RunnerCache Cache { get; } = new();
        public Analytics.RollupBatch Rollups { get; } = new(shard);

        public async Task CloseAsync()
        {
            Cache.Clear();
            if (Connection is not null) await Connection.DisposeAsync();
            Connection = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} events failed; writing them one by one")]
    private partial void LogBatchRetried(int count, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batch of {Count} events held an id that exists already; writing them one by one")]
    private partial void LogBatchConflict(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch took {Milliseconds} ms to write and commit ({Count} events)")]
    private partial void LogSlowBatch(long milliseconds, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "An event could not be written")]
    private partial void LogItemFailed(Exception error);
}
