namespace OfferTrace.Fraud;

/// <summary>What the server derived from the client's address (never what the client claimed).</summary>
public sealed record NetworkFacts(
    bool IsDatacenter, bool IsTor, bool IsVpn, bool IsProxy, bool IsVpnCountry, long? Asn, string? Organization, string? CountryCode,
    string? IpTimezone, IReadOnlyList<string> CountryLanguages)
{
    public static readonly NetworkFacts Unknown = new(false, false, false, false, false, null, null, null, null, []);

    /// <summary>
    /// False for private, loopback and other non-public addresses: many people can sit behind one of them (a NAT, or
    /// a proxy that was not declared trusted), so rules that count per address leave them alone.
    /// </summary>
    public bool IsPublicIp { get; init; }
}

/// <summary>What the browser said about itself: compared with the network facts and with what such a device can be.</summary>
public sealed record DeviceClaims(string? DeviceType, string? Timezone, string? ScreenResolution, int? HardwareConcurrency, string? Language)
{
    public static readonly DeviceClaims None = new(null, null, null, null, null);
}
