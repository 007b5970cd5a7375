using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace OfferTrace.Enrichment.Ip;

/// <summary>
/// An address as a number for range look-ups: IPv4 in the low 32 bits of the v4 space, IPv6 as 128 bits. IPv4-mapped
/// IPv6 addresses (<c>::ffff:1.2.3.4</c>) count as the IPv4 address they carry.
/// </summary>
public readonly record struct IpKey(bool IsV4, UInt128 Value)
{
    public static IpKey From(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? new IpKey(true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : new IpKey(false, BinaryPrimitives.ReadUInt128BigEndian(bytes[..written]));
    }

    public static bool TryParse(ReadOnlySpan<char> text, out IpKey key)
    {
        key = default;
        if (!IPAddress.TryParse(text, out var address)) return false;
        key = From(address);
        return true;
    }

    /// <summary>Parses <c>1.2.3.0/24</c>, <c>2001:db8::/32</c> or a single address into its first and last address.</summary>
    public static bool TryParseRange(ReadOnlySpan<char> text, out IpKey first, out IpKey last)
    {
        first = last = default;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            if (!TryParse(text, out first)) return false;
            last = first;
            return true;
        }
        if (!TryParse(text[..slash], out first) || !int.TryParse(text[(slash + 1)..], out var prefix)) return false;
        var bits = first.IsV4 ? 32 : 128;
        if (prefix < 0 || prefix > bits) return false;
        var hostBits = bits - prefix;
        var hostMask = hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        first = first with { Value = first.Value & ~hostMask };
        last = first with { Value = first.Value | hostMask };
        return true;
    }
}
