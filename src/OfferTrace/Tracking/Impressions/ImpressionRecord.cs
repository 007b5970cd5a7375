using OfferTrace.Catalog;

namespace OfferTrace.Tracking.Impressions;

public sealed record ImpressionRecord(
    string ImpressionId, long CreatedAtMs, SessionInfo Session, Offer Offer, int? Position, long? ViewDurationMs, double? VisiblePercent,
    bool Visible, bool Viewable)
{
    /// <summary>
    /// MRC/IAB display viewability: at least 50 % of the pixels in view for at least one continuous second.
    /// The browser reports the longest continuous time at 50 % or more as <c>viewable_ms</c> when it can, else the view duration.
    /// </summary>
    public static bool IsViewable(double? visiblePercent, long? continuousMsAtHalf) => visiblePercent >= 50 && continuousMsAtHalf >= 1000;
}
