using System.Text;

namespace OfferTrace.Tracking.Clicks;

/// <summary>Fills the offer URL's macros with URL-encoded values; the target is always the offer's registered URL.</summary>
public static class RedirectUrl
{
    public static string Build(string offerUrl, string clickId, SessionInfo session, string offerId)
    {
        var sb = new StringBuilder(offerUrl);
        Replace(sb, "{click_id}", clickId);
        Replace(sb, "{user_id}", session.UserId);
        Replace(sb, "{publisher_id}", session.PublisherId);
        Replace(sb, "{placement_id}", session.PlacementId);
        Replace(sb, "{sub_id}", session.SubId ?? "");
        Replace(sb, "{session_id}", session.SessionId);
        Replace(sb, "{offer_id}", offerId);
        return sb.ToString();
    }

    private static void Replace(StringBuilder sb, string macro, string value) => sb.Replace(macro, Uri.EscapeDataString(value));
}
