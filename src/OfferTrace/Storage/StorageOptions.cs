using System.ComponentModel.DataAnnotations;

namespace OfferTrace.Storage;

public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (default, an embedded file) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>When empty with SQLite: a file <c>offertrace.db</c> under <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite <c>synchronous</c> in WAL mode. <c>NORMAL</c> (default): a commit is written to the log before the answer, so an
    /// acknowledged event survives a crash of the process (kill -9); the log is synced to disk at checkpoints. <c>FULL</c>: the log
    /// is also synced before the answer, so events survive a machine crash or power loss too, at the cost of one disk sync per batch.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>Most events written in one transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>How long the writer waits for more events before committing a batch that is not full.</summary>
    [Range(0, 1000)]
    public int LingerMilliseconds { get; set; }

    /// <summary>Writer loops, each with its own connection (0: one). More than one overlaps commits on PostgreSQL when it has cores of its own; SQLite allows one.</summary>
    [Range(0, 32)]
    public int Writers { get; set; }

    /// <summary>Events waiting for the writer; when full, tracking answers 503 with Retry-After.</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 50_000;

    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// A batch whose transaction took at least this long is logged as a warning, with its size and time: every request in
    /// it waited as long (0: never). A storage stall shows here; a slow answer without one was slow elsewhere.
    /// </summary>
    [Range(0, 3_600_000)]
    public int SlowBatchMilliseconds { get; set; } = 1000;

    public bool IsPostgres => Provider.Equals("postgres", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase) && !IsPostgres)
            yield return new ValidationResult($"Storage:Provider must be 'sqlite' or 'postgres', not '{Provider}'.", [nameof(Provider)]);
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("Storage:ConnectionString is required when Storage:Provider is 'postgres'.", [nameof(ConnectionString)]);
        if (!IsPostgres && Writers > 1)
            yield return new ValidationResult("Storage:Writers must be 1 (or 0) with SQLite, which allows one writer at a time.", [nameof(Writers)]);
        if (SqliteSynchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            yield return new ValidationResult($"Storage:SqliteSynchronous must be FULL, NORMAL or EXTRA, not '{SqliteSynchronous}'.", [nameof(SqliteSynchronous)]);
    }
}
