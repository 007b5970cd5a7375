using System.Security.Cryptography;
using System.Text;

namespace OfferTrace.Common;

public static class Hashing
{
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Compares two lower-case hex strings in constant time.</summary>
    public static bool FixedTimeEqualsHex(string expected, string? given) =>
        given is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
}
