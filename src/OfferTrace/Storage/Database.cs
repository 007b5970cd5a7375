using System.Data.Common;

namespace OfferTrace.Storage;

/// <summary>The storage provider: connections, migrations and the writer's statement runner.</summary>
public abstract class Database
{
    public abstract string Provider { get; }

    /// <summary>How many writer loops run when <c>Storage:Writers</c> is not set.</summary>
    public abstract int DefaultWriters { get; }

    /// <summary>A new open connection for reads and small catalogue writes.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>The writer's own connection; providers may tune it for bulk writes.</summary>
    public virtual Task<DbConnection> OpenWriterAsync(CancellationToken ct) => OpenAsync(ct);

    /// <summary>Applies pending versioned migrations.</summary>
    public abstract Task MigrateAsync(CancellationToken ct);

    /// <summary>Begins a write transaction on the writer's connection.</summary>
    public abstract ValueTask<IStatementRunner> BeginWriteAsync(DbConnection connection, RunnerCache cache, CancellationToken ct);

    /// <summary>A read-only transaction whose reads all see one moment of the database (for checks that compare tables).</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct);

    /// <summary>True when the exception means a unique constraint was violated.</summary>
    public abstract bool IsUniqueViolation(Exception e);
}

/// <summary>Prepared statements kept per writer connection across batches (whatever the provider prepares).</summary>
public sealed class RunnerCache
{
    public Dictionary<SqlStatement, IDisposable> Prepared { get; } = new(ReferenceEqualityComparer.Instance);

    public void Clear()
    {
        foreach (var p in Prepared.Values) p.Dispose();
        Prepared.Clear();
    }
}
