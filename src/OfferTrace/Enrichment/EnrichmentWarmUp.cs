using OfferTrace.Enrichment.Reputation;
using OfferTrace.Enrichment.UserAgents;

namespace OfferTrace.Enrichment;

/// <summary>Loads the data sets before the server serves: the first request does not pay for them, and the log says what is loaded.</summary>
public sealed class EnrichmentWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<Datasets>();
        services.GetRequiredService<ReputationStore>();
        services.GetRequiredService<UserAgentParser>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
