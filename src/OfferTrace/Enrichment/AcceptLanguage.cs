namespace OfferTrace.Enrichment;

/// <summary>The <c>Accept-Language</c> request header: the browser's preferred language comes first.</summary>
public static class AcceptLanguage
{
    /// <summary><c>"de-DE,de;q=0.9,en;q=0.8"</c> → <c>"de-DE"</c>.</summary>
    public static string? First(string? header) =>
        string.IsNullOrWhiteSpace(header) ? null : header.Split(',')[0].Split(';')[0].Trim();

    /// <summary>The language without its region, lower case: <c>"de-DE"</c> → <c>"de"</c>.</summary>
    public static string BaseOf(string tag) => tag.Split('-', '_')[0].Trim().ToLowerInvariant();
}
