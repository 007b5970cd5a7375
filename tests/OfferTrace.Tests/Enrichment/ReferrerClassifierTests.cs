using OfferTrace.Enrichment;

namespace OfferTrace.Tests.Enrichment;

public sealed class ReferrerClassifierTests
{
    [Theory]
    [InlineData(null, null, false, "direct", null)]
    [InlineData("", null, false, "direct", null)]
    [InlineData("not a url", null, false, "direct", null)]
    [InlineData("https://www.google.com/search?q=surveys", null, false, "organic", "www.google.com")]
    [InlineData("https://www.google.co.uk/", null, false, "organic", "www.google.co.uk")]
    [InlineData("https://www.bing.com/search?q=x", null, false, "organic", "www.bing.com")]
    [InlineData("https://duckduckgo.com/", null, false, "organic", "duckduckgo.com")]
    [InlineData("https://www.google.com/search?q=surveys", "cpc", false, "paid", "www.google.com")]
    [InlineData("https://www.google.com/aclk?gclid=EAIaIQob", null, false, "paid", "www.google.com")]
    [InlineData("https://www.bing.com/", null, true, "paid", "www.bing.com")]
    [InlineData(null, "ppc", false, "paid", null)]
    [InlineData("https://l.facebook.com/l.php?u=x&fbclid=IwAR0", null, false, "paid", "l.facebook.com")]
    [InlineData("https://m.facebook.com/", null, false, "social", "m.facebook.com")]
    [InlineData("https://t.co/abc", null, false, "social", "t.co")]
    [InlineData("https://www.reddit.com/r/beermoney", null, false, "social", "www.reddit.com")]
    [InlineData("https://mail.google.com/mail/u/0/", null, false, "email", "mail.google.com")]
    [InlineData("https://example.com/newsletter", "email", false, "email", "example.com")]
    [InlineData("https://blog.example.org/best-offerwalls", null, false, "referral", "blog.example.org")]
    [InlineData("https://notgoogle.example/", null, false, "referral", "notgoogle.example")]
    public void Classifies_by_click_id_medium_and_domain(string? url, string? medium, bool clickId, string type, string? domain)
    {
        var referrer = ReferrerClassifier.Classify(url, medium, clickId);
        Assert.Equal(type, referrer.Type);
        Assert.Equal(domain, referrer.Domain);
    }
}
