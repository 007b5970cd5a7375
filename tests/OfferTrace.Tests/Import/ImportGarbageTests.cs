using System.Net;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Import;

public sealed class ImportGarbageTests
{
    [Fact]
    public async Task Binary_junk_lines_are_rejected_one_by_one_and_never_fail_the_import()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var junk = new byte[] { 0xff, 0x00, 0x7b, 0x0a, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d, 0x0a, 0x5b, 0x5d, 0x0a };
        var good = """{"kind":"session","session_id":"ses_ok","user_id":"u","publisher_id":"pub_1","placement_id":"plc_1"}"""u8.ToArray();
        var content = new ByteArrayContent([.. junk, .. good, 0x0a]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-ndjson");
        var report = (await HttpJson.SendAsync(server.Admin, new HttpRequestMessage(HttpMethod.Post, "/api/admin/import") { Content = content }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(1, report.Body.GetProperty("accepted").GetInt64());
        Assert.Equal(3, report.Body.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task A_line_over_one_megabyte_is_refused_alone_and_the_next_line_still_lands()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var huge = "{\"kind\":\"session\",\"sub_id\":\"" + new string('x', 1_100_000) + "\"}";
        var good = """{"kind":"session","session_id":"ses_after","user_id":"u","publisher_id":"pub_1","placement_id":"plc_1"}""";
        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", huge + "\n" + good + "\n", "application/x-ndjson"))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(2, report.Body.GetProperty("lines").GetInt64());
        Assert.Equal(1, report.Body.GetProperty("accepted").GetInt64());
        var error = Assert.Single(report.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal(413, error.GetProperty("status").GetInt32());
        Assert.Equal(1, error.GetProperty("line").GetInt64());
        Assert.Equal(1, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_sessions_detailed WHERE session_id = 'ses_after'"));
    }

    [Fact]
    public async Task A_line_with_a_lone_surrogate_escape_is_rejected_alone_with_a_400()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var lines = """{"kind":"session","session_id":"ses_before","user_id":"u","publisher_id":"pub_1","placement_id":"plc_1"}""" + "\n" +
                    """{"kind":"session","user_id":"\ud800","publisher_id":"pub_1","placement_id":"plc_1"}""" + "\n" +
                    """{"kind":"session","session_id":"ses_after","user_id":"u","publisher_id":"pub_1","placement_id":"plc_1"}""" + "\n";
        var report = (await server.Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/import", lines, "application/x-ndjson"))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(2, report.Body.GetProperty("accepted").GetInt64());
        var error = Assert.Single(report.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal(2, error.GetProperty("line").GetInt64());
        Assert.Contains("surrogate", error.GetProperty("reason").GetString());
    }
}
