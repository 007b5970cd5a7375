using System.Collections.Frozen;

namespace OfferTrace.Common;

/// <summary>Active ISO 4217 codes with their minor units (digits after the decimal point).</summary>
public static class Currencies
{
    private const string TwoDigit =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF " +
        "CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ " +
        "GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK " +
        "MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB " +
        "SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD " +
        "USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL";
    private const string ZeroDigit = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string ThreeDigit = "BHD IQD JOD KWD LYD OMR TND";
    private const string FourDigit = "CLF UYW";

    private static readonly FrozenDictionary<string, int> MinorUnits = Build();

    private static FrozenDictionary<string, int> Build()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (codes, digits) in new[] { (TwoDigit, 2), (ZeroDigit, 0), (ThreeDigit, 3), (FourDigit, 4) })
        {
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) map[code] = digits;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static bool IsKnown(string? code) => code is not null && MinorUnits.ContainsKey(code);

    public static int MinorUnitsOf(string code) => MinorUnits[code];
}
