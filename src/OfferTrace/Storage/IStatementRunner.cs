namespace OfferTrace.Storage;

/// <summary>Runs statements inside the writer's transaction; the one place where providers differ in how rows travel.</summary>
public interface IStatementRunner
{
    /// <summary>Queues a row-changing statement; queued statements run in order, at the latest on <see cref="FlushAsync"/>.</summary>
    void Queue(SqlStatement statement, object?[] values);

    /// <summary>Runs everything queued, then this statement, and returns its first column (null when no row).</summary>
    Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct);

    Task FlushAsync(CancellationToken ct);
}
