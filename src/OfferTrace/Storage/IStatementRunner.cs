namespace OfferTrace.Storage;

/// <summary>
/// One write transaction of the writer: runs its statements and commits them. The one place where providers differ
/// in how rows travel. Disposing it without <see cref="CommitAsync"/> rolls the transaction back.
/// </summary>
public interface IStatementRunner : IAsyncDisposable
{
    /// <summary>Queues a row-changing statement; queued statements run in order, at the latest on <see cref="CommitAsync"/>.</summary>
    void Queue(SqlStatement statement, object?[] values);

    /// <summary>Runs everything queued, then this statement, and returns its first column (null when no row).</summary>
    Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct);

    /// <summary>Runs what is still queued and commits; completes once the transaction is durable.</summary>
    Task CommitAsync(CancellationToken ct);
}
