using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Postbacks;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// An operator's decision on a conversion (the fraud review): a pending one (suspicious, held, or left pending by its
/// network) is approved and its points released, or a credited one is rejected and its credit taken back. The same
/// conditional transition as a network's later word, so a decision never applies twice.
/// </summary>
public sealed class ConversionReview(Database database, IngestWriter writer, CatalogCache catalog, PostbackOutbox outbox, TimeProvider time)
{
    public async Task<Outcome<string>> DecideAsync(string conversionId, string to, string? note, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await StoredConversion.FindAsync(database, conversionId, ct) is not { } stored)
                return Outcome<string>.Fail(StatusCodes.Status404NotFound, $"No conversion '{conversionId}'.");
            var allowed = to == ConversionStatus.Approved ? stored.Status == ConversionStatus.Pending : stored.IsCredited;
            if (!allowed)
            {
                return Outcome<string>.Fail(StatusCodes.Status409Conflict,
                    $"Conversion '{conversionId}' is {stored.Status}; only a pending conversion can be approved and only a credited one rejected.");
            }
            var snapshot = catalog.Current;
            var item = new ConversionTransitionItem(stored, to, note is null ? "operator_" + to : $"operator_{to}: {note}", outbox,
                snapshot.Publishers.GetValueOrDefault(stored.PublisherId), snapshot.Offers.GetValueOrDefault(stored.OfferId)?.Name ?? stored.OfferId,
                time.GetUtcNow().ToUnixTimeMilliseconds());
            if (!writer.TryEnqueue(item)) return Outcome<string>.Unavailable("The ingest queue is full; retry shortly.");
            try
            {
                if (await item.Completion) return Outcome<string>.Ok(to);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Outcome<string>.Unavailable("Storage is unavailable; nothing changed.");
            }
        }
        return Outcome<string>.Fail(StatusCodes.Status409Conflict, "The conversion kept changing; read it again.");
    }
}
