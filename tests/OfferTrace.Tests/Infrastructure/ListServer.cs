using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>A real HTTP server on a free loopback port that serves one text body and counts the requests for it.</summary>
public sealed class ListServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ListServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ListServer> StartAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ListServer(app);
        app.MapGet("/list.txt", () =>
        {
            Interlocked.Increment(ref server._requests);
            return Results.Text(body, "text/plain");
        });
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/list.txt";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
