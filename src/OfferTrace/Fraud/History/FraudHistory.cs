using Dapper;
using Microsoft.Extensions.Options;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Fraud.History;

/// <summary>
/// The in-memory windows the history rules read, filled from the database before the server serves (the clicks of the
/// last day, the fingerprinted sessions of the device window: indexed range reads on <c>created_at</c>) and pruned
/// every minute.
/// </summary>
public sealed partial class FraudHistory(IOptions<FraudOptions> options, Database database, TimeProvider time, ILogger<FraudHistory> logger)
    : BackgroundService
{
    private readonly FraudOptions _o = options.Value;

    public ClickHistory Clicks { get; } = new(options.Value.DuplicateClickHours * 3_600_000L, options.Value.ClickFloodPerMinute);

    public DeviceHistory Devices { get; } = new(options.Value.SharedDeviceDays * 86_400_000L);

    public AdClickHistory AdClicks { get; } = new(options.Value.AdClicksAcrossCampaignsHours * 3_600_000L,
        Math.Max(options.Value.AdClicksPerDay, Math.Max(options.Value.AdClicksAcrossCampaigns, options.Value.AdClicksPerCampaignPerDay)) + 1);

    public async Task LoadAsync(CancellationToken ct)
    {
        var now = Timestamps.ToMs(time.GetUtcNow());
        await using var c = await database.OpenAsync(ct);
        var clicks = 0;
        var from = now - _o.DuplicateClickHours * 3_600_000L;
        using (var reader = await c.ExecuteReaderAsync(
                   "SELECT ip, user_id, offer_id, created_at FROM offerwall_clicks_detailed WHERE created_at >= @from ORDER BY created_at", new { from }))
        {
            while (await reader.ReadAsync(ct))
            {
                var ip = reader.GetString(0);
                Clicks.Record(ip, reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    System.Net.IPAddress.TryParse(ip, out var address) && Enrichment.Ip.IpEnricher.IsPublic(address));
                clicks++;
            }
        }
        var sessions = 0;
        var deviceFrom = now - _o.SharedDeviceDays * 86_400_000L;
        using (var reader = await c.ExecuteReaderAsync(
                   "SELECT device_id, user_id, created_at FROM offerwall_sessions_detailed WHERE created_at >= @deviceFrom AND device_id IS NOT NULL ORDER BY created_at",
                   new { deviceFrom }))
        {
            while (await reader.ReadAsync(ct))
            {
                Devices.Record(reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                sessions++;
            }
        }
        var adClicks = 0;
        var dayFrom = now - 86_400_000L;
        using (var reader = await c.ExecuteReaderAsync(
                   "SELECT ip, COALESCE(gclid, gbraid, wbraid), campaign, MIN(created_at) FROM click_events " +
                   "WHERE created_at >= @dayFrom AND event_type <> 'bot_trap' AND COALESCE(gclid, gbraid, wbraid) IS NOT NULL " +
                   "GROUP BY ip, COALESCE(gclid, gbraid, wbraid), campaign ORDER BY MIN(created_at)", new { dayFrom }))
        {
            while (await reader.ReadAsync(ct))
            {
                var ip = reader.GetString(0);
                if (!System.Net.IPAddress.TryParse(ip, out var address) || !Enrichment.Ip.IpEnricher.IsPublic(address)) continue;
                AdClicks.Record(ip, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3));
                adClicks++;
            }
        }
        LogLoaded(clicks, sessions, adClicks);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Clicks.Prune();
                Devices.Prune(Timestamps.ToMs(time.GetUtcNow()));
                AdClicks.Prune();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fraud history loaded: {Clicks} recent clicks, {Sessions} fingerprinted sessions, {AdClicks} paid clicks")]
    private partial void LogLoaded(int clicks, int sessions, int adClicks);
}
