using OfferTrace.Analytics;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Impressions;

/// <summary>Writes one or many impressions of one session.</summary>
internal sealed class ImpressionBatchItem(IReadOnlyList<ImpressionRecord> impressions, TrackingLookup lookup) : IngestItem<IReadOnlyList<ImpressionRecord>>
{
    private static readonly SqlStatement Insert = SqlStatement.Insert("offerwall_impressions_detailed",
        "impression_id, created_at, session_id, user_id, publisher_id, placement_id, offer_id, offer_category, offer_payout, offer_currency, " +
        "network_id, advertiser, position, view_duration_ms, visible_percent, visible, viewable, device_type, device_id, country_code, ip");

    protected override ValueTask<IReadOnlyList<ImpressionRecord>> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        foreach (var i in impressions)
        {
            var s = i.Session;
            context.Runner.Queue(Insert,
            [
                i.ImpressionId, i.CreatedAtMs, s.SessionId, s.UserId, s.PublisherId, s.PlacementId, i.Offer.OfferId, i.Offer.Category,
                Money.ToUnits(i.Offer.Payout), i.Offer.Currency, i.Offer.NetworkId, i.Offer.Advertiser, i.Position, i.ViewDurationMs,
                i.VisiblePercent, i.Visible, i.Viewable, s.DeviceType, s.DeviceId, s.CountryCode, s.Ip,
            ]);
            context.Rollups.Add(i.CreatedAtMs, s.PublisherId, s.PlacementId, i.Offer.OfferId, s.CountryCode, s.DeviceType, "",
                new RollupCounts(Impressions: 1));
        }
        return ValueTask.FromResult(impressions);
    }

    protected override void OnCommitted(IReadOnlyList<ImpressionRecord> result)
    {
        foreach (var i in result) lookup.Remember(i.ImpressionId, ToInfo(i));
    }

    public static ImpressionInfo ToInfo(ImpressionRecord i) => new(i.ImpressionId, i.CreatedAtMs, i.Session.SessionId, i.Offer.OfferId);
}
