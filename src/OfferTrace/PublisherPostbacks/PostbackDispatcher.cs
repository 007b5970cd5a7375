using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.PublisherPostbacks;

/// <summary>
/// Delivers the outbox: claims due deliveries with a lease (a conditional update, so several processes on one database
/// never send the same delivery at once), sends them, logs each attempt, and reschedules failures with exponential
/// backoff until <c>Postbacks:RetryHours</c> have passed. A publisher whose endpoint fails
/// <c>Postbacks:PauseAfterFailures</c> times in a row is paused (an alert and a log warning) until an admin resumes it;
/// its deliveries wait. A reversal waits for the credit of the same conversion, so a publisher never sees them reversed.
/// </summary>
public sealed partial class PostbackDispatcher(Database database, CatalogCache catalog, PostbackSender sender, PostbackOutbox outbox,
    IOptions<PostbacksOptions> options, IOptions<JobsOptions> jobs, TimeProvider time, ILogger<PostbackDispatcher> logger) : BackgroundService
{
    /// <summary>Not for a paused publisher, and a reversal not before the credit it takes back has been delivered (or given up).</summary>
    private const string Sendable =
        "AND d.publisher_id NOT IN (SELECT publisher_id FROM publisher_postback_health WHERE paused_at IS NOT NULL) " +
        "AND NOT (d.kind = @reversal AND EXISTS (SELECT 1 FROM postback_deliveries c WHERE c.conversion_id = d.conversion_id " +
        "AND c.kind = @credit AND c.state = @pending)) ";
    private readonly PostbacksOptions _o = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobs.Value.Run) return;
        var lookedAgain = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchDueAsync(stoppingToken) == _o.Concurrency)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(e);
            }
            try
            {
                var wait = await UntilNextDueAsync(stoppingToken);
                // Something fell due while this round ran: look once more straight away.
                if (wait == TimeSpan.Zero && !lookedAgain)
                {
                    lookedAgain = true;
                    continue;
                }
                lookedAgain = false;
                // Never a busy loop: what is due may be another process's to send.
                await outbox.WaitAsync(wait == TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>How long to sleep: until the next retry falls due, at most <c>Postbacks:PollSeconds</c> (new deliveries wake it sooner).</summary>
    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken ct)
    {
        var poll = TimeSpan.FromSeconds(_o.PollSeconds);
        try
        {
            await using var c = await database.OpenAsync(ct);
            var next = await c.ExecuteScalarAsync<long?>(
                "SELECT MIN(d.next_attempt_at) FROM postback_deliveries d WHERE d.state = @pending AND d.claimed_until IS NULL " + Sendable,
                new { pending = DeliveryState.Pending, reversal = DeliveryKind.Reversal, credit = DeliveryKind.Credit });
            if (next is null) return poll;
            var wait = TimeSpan.FromMilliseconds(Math.Max(0, next.Value - time.GetUtcNow().ToUnixTimeMilliseconds()));
            return wait < poll ? wait : poll;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogDispatchFailed(e);
            return poll;
        }
    }

    /// <summary>Gives up on expired deliveries, then sends what is due; returns how many were due.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<DueDelivery> due;
        long lease;
        await using (var c = await database.OpenAsync(ct))
        {
            await c.ExecuteAsync(
                "UPDATE postback_deliveries SET state = @failed, claimed_until = NULL WHERE state = @pending AND give_up_at <= @now " +
                "AND publisher_id NOT IN (SELECT publisher_id FROM publisher_postback_health WHERE paused_at IS NOT NULL)",
                new { failed = DeliveryState.Failed, pending = DeliveryState.Pending, now });
            await c.ExecuteAsync(
                "UPDATE postback_deliveries SET state = @failed, last_error = 'the credit it takes back was never delivered' " +
                "WHERE kind = @reversal AND state = @pending AND NOT EXISTS (SELECT 1 FROM postback_deliveries k WHERE k.conversion_id = " +
                "postback_deliveries.conversion_id AND k.kind = @credit AND k.state IN (@pending, @delivered))",
                new { failed = DeliveryState.Failed, pending = DeliveryState.Pending, delivered = DeliveryState.Delivered, reversal = DeliveryKind.Reversal,
                    credit = DeliveryKind.Credit });
            due = (await c.QueryAsync<DueDelivery>(
                "SELECT d.delivery_id AS DeliveryId, d.publisher_id AS PublisherId, d.kind AS Kind, d.payload AS Payload, d.attempts AS Attempts " +
                "FROM postback_deliveries d WHERE d.state = @pending AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until < @now) " +
                Sendable + "ORDER BY d.next_attempt_at, d.delivery_id LIMIT @limit",
                new { pending = DeliveryState.Pending, now, reversal = DeliveryKind.Reversal, credit = DeliveryKind.Credit, limit = _o.Concurrency })).AsList();
            lease = now + (_o.TimeoutSeconds + 60) * 1000L;
            var claimed = new List<DueDelivery>(due.Count);
            foreach (var d in due)
            {
                var won = await c.ExecuteAsync(
                    "UPDATE postback_deliveries SET claimed_until = @lease WHERE delivery_id = @id AND state = @pending AND (claimed_until IS NULL OR claimed_until < @now)",
                    new { lease, id = d.DeliveryId, pending = DeliveryState.Pending, now });
                if (won == 1) claimed.Add(d);
            }
            due = claimed;
        }

        // One wave of at most Postbacks:Concurrency, all inside the lease they were claimed with.
        await Task.WhenAll(due.Select(d => AttemptAsync(d, lease, ct)));
        return due.Count;
    }

    private async Task AttemptAsync(DueDelivery d, long lease, CancellationToken ct)
    {
        AttemptResult result;
        try
        {
            var payload = JsonSerializer.Deserialize<PostbackPayload>(d.Payload)!;
            result = catalog.Current.Publishers.TryGetValue(d.PublisherId, out var publisher)
                ? await sender.SendAsync(publisher, d.DeliveryId, d.Kind, payload, ct)
                : new AttemptResult("(none)", null, null, 0, $"Publisher '{d.PublisherId}' no longer exists.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Whatever went wrong is this delivery's failure, logged and retried like any other; never its neighbours'.
            result = new AttemptResult("(not sent)", null, null, 0, $"{e.GetType().Name}: {e.Message}");
        }
        try
        {
            await RecordAsync(d.DeliveryId, d.PublisherId, d.Attempts + 1, result, rescheduleOnFailure: true, ct, lease);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogDispatchFailed(e);
        }
    }

    /// <summary>Logs an attempt and moves the delivery on: delivered, rescheduled with backoff, or left failed (tests).</summary>
    /// <remarks>With a <paramref name="lease"/>, the delivery moves only if this process still holds it: one whose lease ran out
    /// may be another's by now, and a late answer must not overwrite what that one recorded.</remarks>
    internal async Task RecordAsync(string deliveryId, string publisherId, int attempt, AttemptResult result, bool rescheduleOnFailure, CancellationToken ct,
        long? lease = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await database.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(
            "INSERT INTO postback_attempts (attempt_id, delivery_id, attempt, started_at, request, status_code, response_excerpt, latency_ms, error) " +
            "VALUES (@id, @deliveryId, @attempt, @now, @request, @status, @excerpt, @latency, @error)",
            new
            {
                id = Ids.New(Ids.Attempt, Timestamps.FromMs(now)), deliveryId, attempt, now, request = result.Request, status = result.StatusCode,
                excerpt = result.ResponseExcerpt, latency = result.LatencyMs, error = result.Error,
            }, tx);
        var next = now + (long)_o.Backoff(attempt).TotalMilliseconds;
        var state = result.Delivered ? DeliveryState.Delivered : rescheduleOnFailure ? DeliveryState.Pending : DeliveryState.Failed;
        await c.ExecuteAsync(
            "UPDATE postback_deliveries SET attempts = @attempt, state = @state, next_attempt_at = @next, claimed_until = NULL, " +
            "last_status_code = @status, last_error = @error, delivered_at = @deliveredAt WHERE delivery_id = @deliveryId " +
            "AND (@lease IS NULL OR claimed_until = @lease)",
            new
            {
                attempt, state, next = result.Delivered ? now : next, status = result.StatusCode, error = result.Error,
                deliveredAt = result.Delivered ? now : (long?)null, deliveryId, lease,
            }, tx);
        var paused = await UpdateHealthAsync(c, tx, publisherId, result, now);
        await tx.CommitAsync(ct);
        if (paused) LogPaused(publisherId, _o.PauseAfterFailures, result.Error);
        else if (!result.Delivered) LogAttemptFailed(deliveryId, publisherId, attempt, result.Error);
    }

    /// <returns>True when this failure paused the publisher.</returns>
    private async Task<bool> UpdateHealthAsync(DbConnection c, DbTransaction tx, string publisherId, AttemptResult result, long now)
    {
        if (result.Delivered)
        {
            await c.ExecuteAsync("UPDATE publisher_postback_health SET consecutive_failures = 0 WHERE publisher_id = @publisherId", new { publisherId }, tx);
            return false;
        }
        await c.ExecuteAsync(
            "INSERT INTO publisher_postback_health (publisher_id, consecutive_failures, last_failure_at, last_error) VALUES (@publisherId, 1, @now, @error) " +
            "ON CONFLICT (publisher_id) DO UPDATE SET consecutive_failures = publisher_postback_health.consecutive_failures + 1, " +
            "last_failure_at = excluded.last_failure_at, last_error = excluded.last_error",
            new { publisherId, now, error = result.Error }, tx);
        return await c.ExecuteAsync(
            "UPDATE publisher_postback_health SET paused_at = @now WHERE publisher_id = @publisherId AND paused_at IS NULL AND consecutive_failures >= @max",
            new { now, publisherId, max = _o.PauseAfterFailures }, tx) == 1;
    }

    private sealed class DueDelivery
    {
        public string DeliveryId { get; init; } = "";
        public string PublisherId { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Payload { get; init; } = "";
        public int Attempts { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The postback dispatcher failed; it tries again at its next poll")]
    private partial void LogDispatchFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Postbacks to publisher {PublisherId} are paused after {Failures} failed attempts in a row (last: {Error}); resume them in the admin API")]
    private partial void LogPaused(string publisherId, int failures, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Postback {DeliveryId} to publisher {PublisherId}, attempt {Attempt}, failed: {Error}")]
    private partial void LogAttemptFailed(string deliveryId, string publisherId, int attempt, string? error);
}
