using OfferTrace.Admin;
using OfferTrace.Catalog;
using OfferTrace.Ledger;

namespace OfferTrace.Storage;

/// <summary>Runs before anything serves: migrations, the bootstrap key, and the caches the hot path reads.</summary>
public sealed partial class StartupTasks(
    Database database, ApiKeyStore keys, CatalogCache catalog, ExchangeRates rates, Fraud.Blocklist.Blocklist blocklist,
    Fraud.History.FraudHistory history, ILogger<StartupTasks> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await keys.EnsureBootstrapKeyAsync(cancellationToken);
        await catalog.ReloadAsync(cancellationToken);
        await rates.ReloadAsync(cancellationToken);
        await blocklist.ReloadAsync(cancellationToken);
        await history.LoadAsync(cancellationToken);
        LogReady(database.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready ({Provider}); schema up to date")]
    private partial void LogReady(string provider);
}
