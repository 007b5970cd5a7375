using System.Text.Json;
using Microsoft.Extensions.Options;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.PublisherPostbacks;

/// <summary>
/// Queues publisher postbacks as rows in the transaction of the ledger entries that cause them (nothing is sent before
/// the commit, nothing committed is forgotten), and wakes the dispatcher once that transaction has committed.
/// </summary>
public sealed class PostbackOutbox(IOptions<PostbacksOptions> options)
{
    private static readonly SqlStatement Insert = SqlStatement.Insert("postback_deliveries",
        "delivery_id, created_at, publisher_id, conversion_id, kind, payload, state, attempts, next_attempt_at, give_up_at");

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Queues a delivery when the publisher takes postbacks; returns its id, or null when there is nowhere to send it.</summary>
    public string? Queue(IStatementRunner runner, Publisher publisher, string kind, PostbackPayload payload, long atMs)
    {
        if (string.IsNullOrEmpty(publisher.PostbackUrl)) return null;
        var id = Ids.New(Ids.Delivery, Timestamps.FromMs(atMs));
        runner.Queue(Insert,
        [
            id, atMs, publisher.PublisherId, payload.ConversionId, kind, JsonSerializer.Serialize(payload), DeliveryState.Pending, 0, atMs,
            atMs + options.Value.RetryHours * 3_600_000L,
        ]);
        return id;
    }

    /// <summary>Called after a commit that queued deliveries: the dispatcher sends them now instead of at its next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    /// <summary>Waits until woken or until the timeout passes on the service's clock.</summary>
    internal async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var woken = _wake.WaitAsync(Timeout.Infinite, linked.Token);
        var delay = Task.Delay(timeout, time, linked.Token);
        await Task.WhenAny(woken, delay);
        await linked.CancelAsync();
        try
        {
            await Task.WhenAll(woken, delay);
        }
        catch (OperationCanceledException)
        {
            // The other one of the pair.
        }
        ct.ThrowIfCancellationRequested();
    }
}

public static class DeliveryState
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

public static class DeliveryKind
{
    public const string Credit = "credit";
    public const string Reversal = "reversal";
    public const string Test = "test";
}
