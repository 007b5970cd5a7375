using Dapper;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Postbacks;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// Releases held conversions by themselves: once a conversion's hold period has passed (<c>hold_until</c>), its points
/// move from pending to available and the publisher is told (status 1). Each release is a conditional transition in
/// the writer, so a chargeback arriving at the same moment and a release never both apply.
/// </summary>
public sealed partial class HoldReleaser(Database database, IngestWriter writer, CatalogCache catalog, PostbackOutbox outbox, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<JobsOptions> jobs, ILogger<HoldReleaser> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Value.Run) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReleaseDueAsync(stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e);
                await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Releases every conversion whose hold has ended; returns how many were released.</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<string> due;
        await using (var c = await database.OpenAsync(ct))
        {
            due = (await c.QueryAsync<string>(
                "SELECT conversion_id FROM offerwall_conversions_detailed WHERE status = 'pending' AND hold_until IS NOT NULL AND hold_until <= @now " +
                "AND status_reason = 'hold_period' ORDER BY hold_until LIMIT 1000", new { now })).AsList();
        }
        // Queued together, so they share the writer's batches instead of one commit each.
        var items = new List<ConversionTransitionItem>();
        foreach (var id in due)
        {
            if (await StoredConversion.FindAsync(database, id, ct) is not { Status: ConversionStatus.Pending } stored) continue;
            var snapshot = catalog.Current;
            var item = new ConversionTransitionItem(stored, ConversionStatus.Approved, "hold_released", outbox,
                snapshot.Publishers.GetValueOrDefault(stored.PublisherId), snapshot.Offers.GetValueOrDefault(stored.OfferId)?.Name ?? stored.OfferId, now);
            await writer.EnqueueAsync(item, ct);
            items.Add(item);
        }
        var results = await Task.WhenAll(items.Select(i => i.Completion));
        return results.Count(released => released);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Releasing held conversions failed; trying again in a minute")]
    private partial void LogFailed(Exception e);
}
