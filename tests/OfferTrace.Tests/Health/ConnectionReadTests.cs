using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Health;

/// <summary><c>Server:LeanIdleConnections</c>: how Kestrel reads a connection's requests, and that either way serves.</summary>
public sealed class ConnectionReadTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Requests_are_read_as_the_option_says_and_keep_alive_connections_serve_clicks(string? setting, bool waitsForData)
    {
        await using var server = await TestServer.StartAsync("sqlite", setting is null ? [] : [$"--Server:LeanIdleConnections={setting}"]);
        Assert.Equal(waitsForData, server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.WaitForDataBeforeAllocatingBuffer);

        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        var clicks = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(50); // the connection idles between requests, as a browser's does
            clicks.Add(await Flow.ClickAsync(server, $"u_{i}"));
        }
        Assert.Equal(3, clicks.Distinct().Count());
        Assert.Equal(3L, await Sql.ScalarAsync<long>(server, "SELECT COUNT(*) FROM offerwall_clicks_detailed"));
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_stops_the_server_naming_the_key()
    {
        var e = Assert.ThrowsAny<Exception>(() => OfferTraceHost.Build(["--urls=http://127.0.0.1:0", "--Server:LeanIdleConnections=sometimes"]));
        Assert.Contains("Server:LeanIdleConnections", e.Message);
    }
}
