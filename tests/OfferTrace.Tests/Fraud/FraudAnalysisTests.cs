using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Fraud;

public sealed class FraudAnalysisTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Signals_are_counted_by_type_user_publisher_and_country_with_recent_evidence_and_score_spread(string provider)
    {
        await using var server = await TestServer.StartAsync(provider);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        await SessionAsync(server, "8.8.8.8", "u_cloud");          // datacenter: suspicious
        await SessionAsync(server, "8.8.4.4", "u_cloud");          // datacenter again
        await SessionAsync(server, "73.162.10.20", "u_home");      // clean
        (await server.Admin.PostJsonAsync("/api/admin/blocklist", new { kind = "ip", value = "81.2.69.142" })).Expect(HttpStatusCode.Created);
        await SessionAsync(server, "81.2.69.142", "u_blocked");    // fraud
        await ClickEventFlow.SeedSiteAsync(server.Admin);
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop())).Expect(HttpStatusCode.Created);
        (await ClickEventFlow.PostAsync(server, ClickEventFlow.HumanDesktop(gclid: "Cj0-bot").With(("is_webdriver", true)), ip: "73.162.10.21"))
            .Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var body = (await server.Admin.GetJsonAsync("/api/admin/offerwall/fraud-analysis")).Expect(HttpStatusCode.OK).Body;
        var byType = body.GetProperty("by_type").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("count").GetInt64());
        Assert.Equal(2, byType["datacenter_ip"]);
        Assert.Equal(1, byType["blocklisted"]);
        Assert.Equal("u_cloud", body.GetProperty("by_user")[0].GetProperty("key").GetString());
        Assert.Equal(2, body.GetProperty("by_user")[0].GetProperty("count").GetInt64());
        Assert.Contains(body.GetProperty("by_country").EnumerateArray(), r => r.GetProperty("key").GetString() == "US");
        var recent = body.GetProperty("recent").EnumerateArray().Where(r => r.GetProperty("entity_type").GetString() == "session").ToList();
        Assert.Equal(3, recent.Count);
        Assert.Equal("blocklisted", recent[0].GetProperty("type").GetString());
        Assert.Equal("81.2.69.142", recent[0].GetProperty("details").GetProperty("value").GetString());

        var sessions = body.GetProperty("distribution").GetProperty("sessions");
        Assert.Equal(4, sessions.GetProperty("scores").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        Assert.Equal(1, sessions.GetProperty("scores")[9].GetProperty("count").GetInt64());
        Assert.Equal("90-100", sessions.GetProperty("scores")[9].GetProperty("range").GetString());
        Assert.Equal(1, sessions.GetProperty("clean").GetInt64());
        Assert.Equal(2, sessions.GetProperty("suspicious").GetInt64());
        Assert.Equal(1, sessions.GetProperty("fraud").GetInt64());

        var events = body.GetProperty("distribution").GetProperty("click_events");
        Assert.Equal((1L, 1L), (events.GetProperty("clean").GetInt64(), events.GetProperty("fraud").GetInt64()));

        var empty = (await server.Admin.GetJsonAsync("/api/admin/offerwall/fraud-analysis?publisher_id=pub_nobody")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(0, empty.GetProperty("by_type").GetArrayLength());
        Assert.False(empty.GetProperty("distribution").TryGetProperty("click_events", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetJsonAsync("/api/admin/offerwall/fraud-analysis?from=yesterday")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetJsonAsync("/api/admin/offerwall/fraud-analysis")).Status);
    }

    private static async Task SessionAsync(TestServer server, string ip, string userId)
    {
        await Flow.SessionFromAsync(server, ip, userId);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
    }
}
