using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Tracking;

/// <summary>Hands an item to the writer: a live request waits for its commit; an import line only queues it.</summary>
public static class Ingest
{
    public static async Task<Outcome<T>> SubmitAsync<T>(IngestWriter writer, IngestItem<T> item, TrackingContext context, CancellationToken ct,
        int successStatus, Action<PendingEvents>? rememberPending = null)
    {
        if (context.Pending is { } pending)
        {
            await writer.EnqueueAsync(item, ct);
            rememberPending?.Invoke(pending);
            return Outcome<T>.Ok(default!, StatusCodes.Status202Accepted).WithCompletion(item.Completion);
        }
        if (!writer.TryEnqueue(item)) return Outcome<T>.Unavailable("The ingest queue is full; retry shortly.");
        try
        {
            return Outcome<T>.Ok(await item.Completion, successStatus);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Outcome<T>.Unavailable("Storage is unavailable; the event was not stored.");
        }
    }
}
