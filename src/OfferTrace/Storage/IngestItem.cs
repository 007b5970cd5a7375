namespace OfferTrace.Storage;

/// <summary>One accepted event on its way to the group commit. The request awaits <see cref="IngestItem{T}.Completion"/>.</summary>
public abstract class IngestItem
{
    /// <summary>Writes the item's rows inside the batch transaction; may run again alone if its batch failed.</summary>
    internal abstract ValueTask WriteAsync(WriteContext context, CancellationToken ct);

    /// <summary>Called once the transaction holding the item has committed.</summary>
    internal abstract void Committed();

    internal abstract void Failed(Exception error);
}

public abstract class IngestItem<T> : IngestItem
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    /// <summary>Completes after the commit (a durable acknowledgement), or faults with the storage error.</summary>
    public Task<T> Completion => _done.Task;

    protected abstract ValueTask<T> WriteRowsAsync(WriteContext context, CancellationToken ct);

    /// <summary>Runs after the commit, before the request is answered (e.g. to warm a cache).</summary>
    protected virtual void OnCommitted(T result)
    {
    }

    internal sealed override async ValueTask WriteAsync(WriteContext context, CancellationToken ct) =>
        _result = await WriteRowsAsync(context, ct);

    internal sealed override void Committed()
    {
        OnCommitted(_result!);
        _done.TrySetResult(_result!);
    }

    internal sealed override void Failed(Exception error) => _done.TrySetException(error);
}

/// <summary>What an item writes with: the provider's statement runner and the batch's rollup increments.</summary>
public sealed class WriteContext(IStatementRunner runner, Database database, Analytics.RollupBatch rollups)
{
    public IStatementRunner Runner { get; } = runner;
    public Database Database { get; } = database;
    public Analytics.RollupBatch Rollups { get; } = rollups;
}
