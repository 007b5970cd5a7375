using Microsoft.Extensions.Options;

namespace OfferTrace.Enrichment.Reputation;

/// <summary>
/// Downloads each configured list on its schedule into the reputation directory, writing a hidden temporary file
/// first and moving it into place, so that the store's reload only ever reads whole files. A failed download keeps
/// the file in place and is retried at the next interval.
/// </summary>
public sealed partial class ReputationRefresher(
    IOptions<EnrichmentOptions> options, ReputationStore store, IHttpClientFactory http, TimeProvider time, ILogger<ReputationRefresher> logger)
    : BackgroundService
{
    private const long MaxBytes = 256L * 1024 * 1024;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Refresh.Select(source => KeepFreshAsync(source, stoppingToken)));

    private async Task KeepFreshAsync(ReputationSource source, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(source.IntervalMinutes), time);
        try
        {
            do
            {
                await RefreshAsync(source, ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async Task RefreshAsync(ReputationSource source, CancellationToken ct)
    {
        var target = Path.Combine(store.Directory, source.File);
        var temporary = Path.Combine(store.Directory, $".{source.File}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(store.Directory);
            using var client = http.CreateClient(nameof(ReputationRefresher));
            using var response = await client.GetAsync(source.Url, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxBytes) throw new InvalidDataException($"the list is larger than {MaxBytes} bytes");
            await using (var file = File.Create(temporary))
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await body.CopyToAsync(file, ct);
                if (file.Length == 0) throw new InvalidDataException("the list is empty");
                if (file.Length > MaxBytes) throw new InvalidDataException($"the list is larger than {MaxBytes} bytes");
            }
            File.Move(temporary, target, overwrite: true);
            LogRefreshed(source.File, source.Url);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or UnauthorizedAccessException
                                      or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            LogRefreshFailed(source.File, source.Url, e.Message);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reputation list {File} refreshed from {Url}")]
    private partial void LogRefreshed(string file, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reputation list {File} could not be refreshed from {Url}: {Reason}; the current file stays in force")]
    private partial void LogRefreshFailed(string file, string url, string reason);
}
