namespace OfferTrace.Catalog;

/// <summary>
/// The catalogue in memory for the tracking hot path. Reloaded after every admin change in this process and
/// every few seconds, so a change made through another process is seen too.
/// </summary>
public sealed class CatalogCache(CatalogStore store, ILogger<CatalogCache> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private volatile CatalogSnapshot _current = CatalogSnapshot.Empty;
    private readonly SemaphoreSlim _reload = new(1, 1);

    public CatalogSnapshot Current => _current;

    public async Task ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            _current = await store.LoadAsync(ct);
        }
        finally
        {
            _reload.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Catalogue refresh failed; keeping the last snapshot");
            }
        }
    }
}
