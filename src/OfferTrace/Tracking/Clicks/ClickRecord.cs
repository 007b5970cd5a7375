using OfferTrace.Catalog;
using OfferTrace.Fraud;

namespace OfferTrace.Tracking.Clicks;

public sealed record ClickRecord(
    string ClickId, long CreatedAtMs, SessionInfo Session, Offer Offer, string? ImpressionId, int? Position, long TimeToClickMs,
    double? MouseMovementPx, double? ClickVelocity, int? HumanScore, string RedirectUrl, int RedirectStatus, FraudVerdict Fraud)
{
    public ClickInfo ToInfo() => new(ClickId, CreatedAtMs, Session.SessionId, Session.CreatedAt, Session.UserId, Session.PublisherId,
        Session.PlacementId, Session.SubId, Offer.OfferId, Offer.NetworkId, Session.DeviceType, Session.CountryCode, Session.Ip, Fraud.Status,
        Fraud.Score);
}
