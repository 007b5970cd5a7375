namespace OfferTrace.Fraud.Rules;

/// <summary>Traffic from hosting and cloud networks is not a person at home: suspicious alone.</summary>
public static class DatacenterIpRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(NetworkFacts n) =>
        n.IsDatacenter ? new FraudSignal("datacenter_ip", Severity.High, Weight, false, Evidence(n)) : null;

    internal static Dictionary<string, object?> Evidence(NetworkFacts n) =>
        new() { ["asn"] = n.Asn, ["organization"] = n.Organization, ["country_code"] = n.CountryCode };
}

/// <summary>A Tor exit: anonymity chosen on purpose, suspicious alone.</summary>
public static class TorExitRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(NetworkFacts n) =>
        n.IsTor ? new FraudSignal("tor_exit", Severity.High, Weight, false, DatacenterIpRule.Evidence(n)) : null;
}

/// <summary>A commercial VPN exit: honest people use them too, so it only adds up with other signals.</summary>
public static class VpnRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(NetworkFacts n) =>
        n.IsVpn ? new FraudSignal("vpn", Severity.Low, Weight, false, DatacenterIpRule.Evidence(n)) : null;
}

/// <summary>A known open proxy: adds up with other signals.</summary>
public static class ProxyRule
{
    public const int Weight = 15;

    public static FraudSignal? Check(NetworkFacts n) =>
        n.IsProxy ? new FraudSignal("proxy", Severity.Low, Weight, false, DatacenterIpRule.Evidence(n)) : null;
}

/// <summary>A country where VPN exits concentrate (<c>Enrichment:VpnCountries</c>): a weak hint.</summary>
public static class VpnCountryRule
{
    public const int Weight = 10;

    public static FraudSignal? Check(NetworkFacts n) =>
        n.IsVpnCountry ? new FraudSignal("vpn_country", Severity.Low, Weight, false, new Dictionary<string, object?> { ["country_code"] = n.CountryCode }) : null;
}
