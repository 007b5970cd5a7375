namespace OfferTrace.Common;

/// <summary>Server-generated ids: a type prefix and a UUIDv7, so ids sort by creation time.</summary>
public static class Ids
{
    public const string Session = "ses_";
    public const string Impression = "imp_";
    public const string Click = "clk_";
    public const string Conversion = "cnv_";
    public const string Signal = "sig_";
    public const string PointsTransaction = "ptx_";
    public const string Earning = "ear_";
    public const string Payout = "pay_";
    public const string Key = "key_";
    public const string BlocklistEntry = "blk_";
    public const string ClickEvent = "evt_";
    public const string Callback = "cb_";
    public const string Redemption = "rdm_";
    public const string Delivery = "pbk_";
    public const string Attempt = "att_";
    public const string StatusChange = "chg_";

    public static string New(string prefix, TimeProvider time) =>
        prefix + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");

    public static string New(string prefix, DateTimeOffset at) => prefix + Guid.CreateVersion7(at).ToString("N");

    /// <summary>Ids a client may bring (imports, catalogue): 1–64 letters, digits, '_' or '-'.</summary>
    public static bool IsValidExternal(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64) return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        }
        return true;
    }
}
