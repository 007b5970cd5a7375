using System.Text.Json;
using OfferTrace.Analytics;
using OfferTrace.Caps;
using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Clicks;

/// <summary>Writes a click, its fraud signals and its rollup count. Clicks are not cached: only conversions look them up.</summary>
internal sealed class ClickItem(ClickRecord click) : IngestItem<ClickRecord>
{
    private static readonly SqlStatement Insert = SqlStatement.Insert("offerwall_clicks_detailed",
        "click_id, created_at, session_id, impression_id, user_id, publisher_id, placement_id, sub_id, offer_id, offer_category, offer_payout, " +
        "offer_currency, network_id, advertiser, position, time_to_click_ms, mouse_movement_px, click_velocity, human_score, redirect_url, " +
        "redirect_status, redirect_chain, device_type, os, browser, device_id, user_agent_hash, ip, country_code, is_proxy, is_vpn, is_tor, " +
        "is_datacenter, fraud_score, fraud_status");

    protected override async ValueTask<ClickRecord> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        var (k, s, o) = (click, click.Session, click.Offer);
        context.Runner.Queue(Insert,
        [
            k.ClickId, k.CreatedAtMs, s.SessionId, k.ImpressionId, s.UserId, s.PublisherId, s.PlacementId, s.SubId, o.OfferId, o.Category,
            Money.ToUnits(o.Payout), o.Currency, o.NetworkId, o.Advertiser, k.Position, k.TimeToClickMs, k.MouseMovementPx, k.ClickVelocity,
            k.HumanScore, k.RedirectUrl, k.RedirectStatus, new JsonText(JsonSerializer.Serialize(new[] { k.RedirectUrl })), s.DeviceType, s.Os,
            s.Browser, s.DeviceId, s.UserAgentHash, s.Ip, s.CountryCode, s.IsProxy, s.IsVpn, s.IsTor, s.IsDatacenter, k.Fraud.Score,
            k.Fraud.Status,
        ]);
        FraudSignalRows.Queue(context.Runner, k.Fraud, "click", k.ClickId, k.CreatedAtMs, s.UserId, o.OfferId, s.PublisherId, s.CountryCode);
        context.Rollups.Add(k.CreatedAtMs, s.PublisherId, s.PlacementId, o.OfferId, s.CountryCode, s.DeviceType, "", new RollupCounts(Clicks: 1));
        // Click caps are checked before the click (a few in flight may pass them); here they are only counted.
        if (o.Caps.Any) await CapUsage.TryTakeAsync(context.Runner, o, k.CreatedAtMs, 1, 0, 0, enforce: false, ct);
        return click;
    }
}
