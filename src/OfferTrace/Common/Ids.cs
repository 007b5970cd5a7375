using System.Buffers.Binary;
using System.Security.Cryptography;

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

    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_taken;

    public static string New(string prefix, TimeProvider time) => New(prefix, time.GetUtcNow());

    public static string New(string prefix, DateTimeOffset at) => prefix + Version7(at).ToString("N");

    /// <summary>
    /// The layout of <see cref="Guid.CreateVersion7(DateTimeOffset)"/> (RFC 9562: 48-bit Unix milliseconds, version 7,
    /// variant, 74 random bits), with the random bytes drawn 4 KB at a time from the system's secure generator instead
    /// of one system call per id (measured: the call was about 2 % of the server's time per tracked click).
    /// </summary>
    public static Guid Version7(DateTimeOffset at)
    {
        var random = t_random ??= new byte[4096];
        if (t_taken == 0 || t_taken + 16 > random.Length)
        {
            RandomNumberGenerator.Fill(random);
            t_taken = 0;
        }
        Span<byte> bytes = stackalloc byte[16];
        random.AsSpan(t_taken, 16).CopyTo(bytes);
        random.AsSpan(t_taken, 16).Clear();
        t_taken += 16;
        var milliseconds = at.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(milliseconds >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], (ushort)milliseconds);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

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
