namespace OfferTrace.Fraud.Rules;

/// <summary>
/// The browser's first language is not a language of the IP's country (countries-list): a French browser on a
/// Vietnamese address. Expats and travellers do this honestly: it adds up only.
/// </summary>
public static class LanguageCountryMismatchRule
{
    public const int Weight = 10;

    public static FraudSignal? Check(NetworkFacts n, DeviceClaims claims)
    {
        if (claims.Language is not { Length: >= 2 } language || n.CountryLanguages.Count == 0) return null;
        var primary = language.Split('-', '_')[0].ToLowerInvariant();
        // English is understood everywhere a browser ships; it says nothing about where the user is.
        if (primary == "en" || n.CountryLanguages.Contains(primary)) return null;
        return new FraudSignal("language_country_mismatch", Severity.Low, Weight, false, new Dictionary<string, object?>
        {
            ["language"] = language, ["country_code"] = n.CountryCode, ["country_languages"] = string.Join(',', n.CountryLanguages),
        });
    }
}
