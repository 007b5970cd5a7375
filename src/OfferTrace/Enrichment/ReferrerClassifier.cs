namespace OfferTrace.Enrichment;

public sealed record ReferrerInfo(string? Url, string? Domain, string Type);

/// <summary>Classifies where a visit came from: direct, organic, paid, social, email or referral.</summary>
public static class ReferrerClassifier
{
    private static readonly string[] SearchEngines = ["google.", "bing.com", "yahoo.", "duckduckgo.com", "yandex.", "baidu.com", "ecosia.org", "search.brave.com", "naver.com"];
    private static readonly string[] Social = ["facebook.com", "fb.com", "instagram.com", "t.co", "twitter.com", "x.com", "linkedin.com", "lnkd.in", "reddit.com", "tiktok.com", "pinterest.", "youtube.com", "vk.com", "snapchat.com", "threads.net"];
    private static readonly string[] Mail = ["mail.google.com", "outlook.live.com", "mail.yahoo.com", "mail.", "webmail."];
    private static readonly string[] PaidClickIds = ["gclid", "gbraid", "wbraid", "msclkid", "fbclid", "ttclid", "dclid"];

    /// <param name="referrerUrl">The referring page.</param>
    /// <param name="utmMedium">The landing page's utm_medium, when known.</param>
    /// <param name="landingHasClickId">True when the landing URL or body carried a paid click id.</param>
    public static ReferrerInfo Classify(string? referrerUrl, string? utmMedium, bool landingHasClickId)
    {
        string? domain = null;
        Uri? uri = null;
        if (!string.IsNullOrWhiteSpace(referrerUrl) && Uri.TryCreate(referrerUrl, UriKind.Absolute, out uri)) domain = uri.Host.ToLowerInvariant();

        var medium = utmMedium?.ToLowerInvariant();
        var queryHasClickId = uri is not null && PaidClickIds.Any(id => uri.Query.Contains(id + "=", StringComparison.OrdinalIgnoreCase));
        string type;
        if (landingHasClickId || queryHasClickId || medium is "cpc" or "ppc" or "paid" or "paidsearch" or "cpm" or "display") type = "paid";
        else if (medium is "email" or "newsletter") type = "email";
        else if (domain is null) type = "direct";
        else if (Mail.Any(m => domain.StartsWith(m, StringComparison.Ordinal))) type = "email";
        else if (medium is "social" || Social.Any(s => Matches(domain, s))) type = "social";
        else if (SearchEngines.Any(s => Matches(domain, s))) type = "organic";
        else type = "referral";
        return new ReferrerInfo(referrerUrl, domain, type);
    }

    private static bool Matches(string domain, string pattern) =>
        pattern.EndsWith('.')
            ? domain.StartsWith(pattern, StringComparison.Ordinal) || domain.Contains("." + pattern, StringComparison.Ordinal)
            : domain == pattern || domain.EndsWith("." + pattern, StringComparison.Ordinal);
}
