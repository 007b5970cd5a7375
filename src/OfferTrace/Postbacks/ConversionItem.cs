using OfferTrace.Analytics;
using OfferTrace.Caps;
using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Ledger;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Storage;

namespace OfferTrace.Postbacks;

/// <summary>
/// Writes a conversion idempotently: the unique key (network_id, transaction_id) decides, so a repeat — in the same
/// batch, another batch or another process — inserts nothing and gets the first conversion's id. Only the winner
/// writes ledger rows, signals and rollups, all in the same transaction.
/// </summary>
internal sealed class ConversionItem(ConversionRecord conversion, PostbackOutbox outbox) : IngestItem<ConversionWrite>
{
    private static readonly SqlStatement Insert = SqlStatement.Insert("offerwall_conversions_detailed",
        "conversion_id, created_at, network_id, transaction_id, click_id, click_created_at, session_id, user_id, publisher_id, placement_id, " +
        "sub_id, offer_id, offer_category, advertiser, device_type, country_code, ip, time_to_convert_s, session_duration_s, currency, " +
        "network_payout, user_reward, publisher_commission, platform_revenue, base_currency, exchange_rate, network_payout_base, " +
        "user_reward_base, publisher_commission_base, platform_revenue_base, points, status, status_reason, network_status, postback_data, " +
        "postback_status, fraud_score, fraud_status, hold_until",
        "ON CONFLICT (network_id, transaction_id) DO NOTHING RETURNING conversion_id");

    private static readonly SqlStatement CapExceeded = new(
        "UPDATE offerwall_conversions_detailed SET status = 'rejected', status_reason = 'cap_exceeded', points = 0 WHERE conversion_id = @conversion_id",
        "conversion_id");

    private static readonly SqlStatement Existing = new(
        "SELECT conversion_id FROM offerwall_conversions_detailed WHERE network_id = @network_id AND transaction_id = @transaction_id",
        "network_id", "transaction_id");

    protected override async ValueTask<ConversionWrite> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        var (c, k, s, b) = (conversion, conversion.Click, conversion.Split, conversion.BaseSplit);
        var inserted = await context.Runner.ScalarAsync(Insert,
        [
            c.ConversionId, c.CreatedAtMs, c.NetworkId, c.TransactionId, k.ClickId, k.CreatedAt, k.SessionId, k.UserId, k.PublisherId,
            k.PlacementId, k.SubId, k.OfferId, c.OfferCategory, c.Advertiser, k.DeviceType, k.CountryCode, k.Ip, c.TimeToConvertSeconds,
            c.SessionDurationSeconds, s.Currency, Money.ToUnits(s.NetworkPayout), Money.ToUnits(s.UserReward), Money.ToUnits(s.PublisherCommission),
            Money.ToUnits(s.PlatformRevenue), b.Currency, c.ExchangeRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Money.ToUnits(b.NetworkPayout), Money.ToUnits(b.UserReward), Money.ToUnits(b.PublisherCommission), Money.ToUnits(b.PlatformRevenue),
            c.IsCredited ? c.Points : 0L, c.Status, c.StatusReason, c.NetworkStatus, c.PostbackData is null ? null : new JsonText(c.PostbackData),
            "processed", c.Fraud.Score, c.Fraud.Status, c.HoldUntil,
        ], ct);
        if (inserted is null)
        {
            var existing = (string)(await context.Runner.ScalarAsync(Existing, [c.NetworkId, c.TransactionId], ct))!;
            if (c.Callback is { } repeat) RawCallbackRows.Queue(context.Runner, repeat, CallbackOutcome.Duplicate, 200, null, c.TransactionId, existing);
            return new ConversionWrite(c, false, existing);
        }

        if (c.Callback is { } callback) RawCallbackRows.Queue(context.Runner, callback, CallbackOutcome.Accepted, 201, null, c.TransactionId, c.ConversionId);

        // A credited conversion counts against its offer's caps; past one it is kept, rejected and not credited.
        if (c.IsCredited && c.Offer is { Caps.Any: true } offer
            && !await CapUsage.TryTakeAsync(context.Runner, offer, c.CreatedAtMs, 0, 1, Money.ToUnits(b.NetworkPayout), enforce: true, ct))
        {
            context.Runner.Queue(CapExceeded, [c.ConversionId]);
            c = c with { Status = ConversionStatus.Rejected, StatusReason = "cap_exceeded" };
        }

        FraudSignalRows.Queue(context.Runner, c.Fraud, "conversion", c.ConversionId, c.CreatedAtMs, k.UserId, k.OfferId, k.PublisherId, k.CountryCode);
        var credited = c.IsCredited;
        if (credited)
        {
            LedgerRows.QueueCredit(context.Runner, new CreditEntry(c.CreatedAtMs, c.ConversionId, k.PublisherId, k.PlacementId, k.UserId, k.OfferId,
                c.NetworkId, c.Status, s, b, c.Points));
        }
        context.Rollups.Add(c.CreatedAtMs, k.PublisherId, k.PlacementId, k.OfferId, k.CountryCode, k.DeviceType, c.Status, credited
            ? new RollupCounts(Conversions: 1, NetworkPayout: Money.ToUnits(b.NetworkPayout), UserReward: Money.ToUnits(b.UserReward),
                PublisherCommission: Money.ToUnits(b.PublisherCommission), PlatformRevenue: Money.ToUnits(b.PlatformRevenue), Points: c.Points)
            : new RollupCounts(Conversions: 1));
        if (c.Status == ConversionStatus.Approved && c.Publisher is not null)
        {
            _queuedPostback = outbox.Queue(context.Runner, c.Publisher, DeliveryKind.Credit, new PostbackPayload(k.UserId, c.Points, b.UserReward,
                b.PublisherCommission, b.Currency, c.TransactionId, c.ConversionId, k.OfferId, c.OfferName, k.SubId, PostbackPayload.Credit, k.Ip,
                Debug: false), c.CreatedAtMs) is not null;
        }
        return new ConversionWrite(c, true, c.ConversionId);
    }

    private bool _queuedPostback;

    protected override void OnCommitted(ConversionWrite result)
    {
        if (_queuedPostback) outbox.Wake();
    }
}
