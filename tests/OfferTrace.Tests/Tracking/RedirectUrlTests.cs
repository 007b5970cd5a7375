using OfferTrace.Fraud;
using OfferTrace.Tracking;
using OfferTrace.Tracking.Clicks;

namespace OfferTrace.Tests.Tracking;

public sealed class RedirectUrlTests
{
    private static readonly SessionInfo Session = new(
        "ses_1", 0, "user {x}&y", "pub_1", "plc_1", null, null, null, null, null, null, "203.0.113.9", null, false, false, false,
        false, new SessionFacts(null, false, false, false, false));

    [Fact]
    public void Every_macro_is_filled_escaped_and_repeated_macros_each_time()
    {
        var url = RedirectUrl.Build(
            "https://adv.example/o?c={click_id}&u={user_id}&p={publisher_id}&pl={placement_id}&s={sub_id}&ses={session_id}&o={offer_id}&again={click_id}",
            "clk_9", Session, "off 1");

        Assert.Equal("https://adv.example/o?c=clk_9&u=user%20%7Bx%7D%26y&p=pub_1&pl=plc_1&s=&ses=ses_1&o=off%201&again=clk_9", url);
    }

    [Theory]
    [InlineData("https://adv.example/o", "https://adv.example/o")]
    [InlineData("https://adv.example/{unknown}?c={click_id}", "https://adv.example/{unknown}?c=clk_9")]
    [InlineData("https://adv.example/?a={{click_id}}", "https://adv.example/?a={clk_9}")]
    [InlineData("https://adv.example/?a={click_id", "https://adv.example/?a={click_id")]
    [InlineData("https://adv.example/?a={}&b={click_id}", "https://adv.example/?a={}&b=clk_9")]
    public void Text_that_is_not_a_known_macro_stays_as_written(string template, string expected) =>
        Assert.Equal(expected, RedirectUrl.Build(template, "clk_9", Session, "off_1"));

    [Fact]
    public void A_value_that_looks_like_a_macro_is_not_expanded_again() =>
        Assert.Equal("https://adv.example/?u=%7Bclick_id%7D",
            RedirectUrl.Build("https://adv.example/?u={user_id}", "clk_9", Session with { UserId = "{click_id}" }, "off_1"));
}
