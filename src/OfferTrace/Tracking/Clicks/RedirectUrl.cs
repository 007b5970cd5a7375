using System.Text;

namespace OfferTrace.Tracking.Clicks;

/// <summary>Fills the offer URL's macros with URL-encoded values; the target is always the offer's registered URL.</summary>
public static class RedirectUrl
{
    /// <summary>
    /// One pass over the URL: each <c>{name}</c> that is a known macro becomes its escaped value, anything else stays
    /// as written. The values are escaped, so a value can never bring a macro of its own.
    /// </summary>
    public static string Build(string offerUrl, string clickId, SessionInfo session, string offerId)
    {
        if (!offerUrl.Contains('{')) return offerUrl;
        var sb = new StringBuilder(offerUrl.Length + 64);
        var rest = offerUrl.AsSpan();
        while (rest.IndexOf('{') is var open and >= 0)
        {
            sb.Append(rest[..open]);
            rest = rest[open..];
            var close = rest.IndexOf('}');
            var value = close < 0 ? null : MacroValue(rest[1..close], clickId, session, offerId);
            if (value is null)
            {
                sb.Append('{');
                rest = rest[1..];
                continue;
            }
            sb.Append(Uri.EscapeDataString(value));
            rest = rest[(close + 1)..];
        }
        return sb.Append(rest).ToString();
    }

    private static string? MacroValue(ReadOnlySpan<char> name, string clickId, SessionInfo session, string offerId) => name switch
    {
        "click_id" => clickId,
        "user_id" => session.UserId,
        "publisher_id" => session.PublisherId,
        "placement_id" => session.PlacementId,
        "sub_id" => session.SubId ?? "",
        "session_id" => session.SessionId,
        "offer_id" => offerId,
        _ => null,
    };
}
