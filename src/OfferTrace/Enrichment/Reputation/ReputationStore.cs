using Microsoft.Extensions.Options;

namespace OfferTrace.Enrichment.Reputation;

/// <summary>
/// The reputation lists in force. Reads the directory at start and again, without a restart, whenever a file in it
/// is created, changed, renamed or deleted (a refresh writes a new file in place); readers always see one whole
/// consistent set.
/// </summary>
public sealed partial class ReputationStore : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);
    private readonly string _directory;
    private readonly ILogger<ReputationStore> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _reload;
    private volatile ReputationLists _current;
    private int _version;

    public ReputationStore(IOptions<EnrichmentOptions> options, ILogger<ReputationStore> logger)
    {
        _directory = options.Value.ResolvedReputationDirectory();
        _logger = logger;
        _current = Load();
        _reload = new Timer(_ => Reload());
        if (System.IO.Directory.Exists(_directory))
        {
            _watcher = new FileSystemWatcher(_directory) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Changed += (_, _) => ScheduleReload();
            _watcher.Created += (_, _) => ScheduleReload();
            _watcher.Deleted += (_, _) => ScheduleReload();
            _watcher.Renamed += (_, _) => ScheduleReload();
            _watcher.EnableRaisingEvents = true;
        }
    }

    public ReputationLists Current => _current;

    public string Directory => _directory;

    /// <summary>Increases with every load; tests and the refresher wait on it.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Reads the directory now (also what the file watcher does, once changes settle).</summary>
    public void Reload() => _current = Load();

    private void ScheduleReload() => _reload.Change(Settle, Timeout.InfiniteTimeSpan);

    private ReputationLists Load()
    {
        try
        {
            var lists = ReputationLists.Load(_directory);
            LogLoaded(_directory, lists.Files.Count == 0 ? "none" : string.Join("; ", lists.Files));
            Interlocked.Increment(ref _version);
            return lists;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // A file being written or broken: keep the lists in force and try again on the next change.
            LogLoadFailed(_directory, e);
            return _current ?? ReputationLists.Empty;
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reload.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reputation lists from {Directory}: {Files}")]
    private partial void LogLoaded(string directory, string files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reputation lists in {Directory} could not be read; the previous ones stay in force")]
    private partial void LogLoadFailed(string directory, Exception error);
}
