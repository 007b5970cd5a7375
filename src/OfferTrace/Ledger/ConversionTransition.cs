using OfferTrace.Catalog;
using OfferTrace.Postbacks;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>
/// A stored conversion changes status and its money follows, in one transaction: pending to approved releases the
/// held points (and tells the publisher: status 1); a credited conversion reversed or rejected gets reversal entries
/// (and, when the publisher had been told of the credit, a status-2 postback, whether reversed or rejected). The status update is conditional on
/// the status the decision was made on, so two concurrent changes cannot both apply; the loser learns it lost.
/// </summary>
public sealed class ConversionTransitionItem(StoredConversion conversion, string toStatus, string reason, PostbackOutbox outbox, Publisher? publisher,
    string offerName, long atMs, RawCallback? callback = null) : IngestItem<bool>
{
    private static readonly SqlStatement Move = new(
        "UPDATE offerwall_conversions_detailed SET status = @to, status_reason = @reason WHERE conversion_id = @id AND status = @from RETURNING conversion_id",
        "to", "reason", "id", "from");

    private static readonly SqlStatement CreditDelivery = new(
        "SELECT delivery_id FROM postback_deliveries WHERE conversion_id = @conversion_id AND kind = 'credit' LIMIT 1", "conversion_id");

    private static readonly SqlStatement FromNetwork = new(
        "SELECT callback_id FROM raw_callbacks WHERE network_id = @network_id AND transaction_id = @transaction_id AND outcome = 'accepted' LIMIT 1",
        "network_id", "transaction_id");

    private bool _queuedPostback;

    protected override async ValueTask<bool> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        var c = conversion;
        var credited = toStatus is ConversionStatus.Approved or ConversionStatus.Pending;
        var moved = await context.Runner.ScalarAsync(Move, [toStatus, reason, c.ConversionId, c.Status], ct);
        if (moved is null) return false;

        if (credited) LedgerRows.QueueRelease(context.Runner, c, atMs);
        else LedgerRows.QueueReversal(context.Runner, c, atMs, toStatus == ConversionStatus.Reversed ? "reversal" : "rejection");

        context.Rollups.Add(c.CreatedAt, c.PublisherId, c.PlacementId, c.OfferId, c.CountryCode, c.DeviceType, c.Status, -c.CreditedCounts);
        context.Rollups.Add(c.CreatedAt, c.PublisherId, c.PlacementId, c.OfferId, c.CountryCode, c.DeviceType, toStatus,
            credited ? c.CreditedCounts : new Analytics.RollupCounts(Conversions: 1));

        // The publisher hears of points when they become available, and of their loss only if it heard of them.
        var postback = toStatus == ConversionStatus.Approved ? PostbackPayload.Credit
            : !credited && c.Status == ConversionStatus.Approved ? PostbackPayload.Reversal : 0;
        // A reversal only follows a credit the publisher was sent (none was queued when it had no postback URL then).
        if (postback == PostbackPayload.Reversal && await context.Runner.ScalarAsync(CreditDelivery, [c.ConversionId], ct) is null) postback = 0;
        // Imported history (no network callback created it) was credited by the publisher before it came here.
        if (postback == PostbackPayload.Credit && await context.Runner.ScalarAsync(FromNetwork, [c.NetworkId, c.TransactionId], ct) is null) postback = 0;
        if (postback != 0 && publisher is not null)
        {
            _queuedPostback = outbox.Queue(context.Runner, publisher, postback == PostbackPayload.Credit ? DeliveryKind.Credit : DeliveryKind.Reversal,
                PostbackPayloads.Of(c, offerName, postback), atMs) is not null;
        }
        if (callback is not null) RawCallbackRows.Queue(context.Runner, callback, CallbackOutcome.StatusChanged, 200, $"{c.Status} -> {toStatus} ({reason})",
            c.TransactionId, c.ConversionId);
        return true;
    }

    protected override void OnCommitted(bool result)
    {
        if (_queuedPostback) outbox.Wake();
    }
}
