using OfferTrace.Common;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Fraud;
using OfferTrace.Tracking.Clicks;
using OfferTrace.Tracking.Sessions;

namespace OfferTrace.Tracking;

public sealed record SessionView(
    string SessionId, string CreatedAt, string UserId, string PublisherId, string PlacementId, string? SubId, DeviceInfo Device,
    FingerprintInfo Fingerprint, NetworkInfo Network, GeoInfo Geo, ReferrerInfo Referrer, UtmInfo Utm, string? Gclid, FraudView Fraud)
{
    public static SessionView Of(SessionRecord s) => new(s.SessionId, Timestamps.Format(s.CreatedAtMs), s.UserId, s.PublisherId, s.PlacementId,
        s.SubId, s.Device, s.Fingerprint, s.Network, s.Geo, s.Referrer, s.Utm, s.Gclid, FraudView.Of(s.Fraud));
}

public sealed record ImpressionsView(IReadOnlyList<string> ImpressionIds);

public sealed record ClickView(string ClickId, string RedirectUrl, long TimeToClickMs, double? ClickVelocity, FraudView Fraud)
{
    public static ClickView Of(ClickRecord c) => new(c.ClickId, c.RedirectUrl, c.TimeToClickMs, c.ClickVelocity, FraudView.Of(c.Fraud));
}

/// <summary>Request shapes for the API reference; the handlers read bodies field by field to name every bad one.</summary>
public sealed record SessionRequestDoc(string UserId, string PublisherId, string PlacementId, string? SubId, DeviceInfo? Device,
    FingerprintInfo? Fingerprint, string? ReferrerUrl, UtmInfo? Utm, string? Gclid);

public sealed record ImpressionDoc(string OfferId, int? Position, long? ViewDurationMs, double? VisiblePercent, long? ViewableMs);

public sealed record ImpressionRequestDoc(string SessionId, IReadOnlyList<ImpressionDoc> Impressions);

public sealed record ClickRequestDoc(string SessionId, string OfferId, string? ImpressionId, int? Position, double? MouseMovementPx, int? HumanScore);
