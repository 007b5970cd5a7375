using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>The real server on Kestrel at a free loopback port, over a real database, with a test clock.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly WebApplication _app;
    private readonly TestDatabase _database;
    private bool _ownsDatabase = true;

    private TestServer(WebApplication app, TestDatabase database, FakeTimeProvider clock, Uri address, CapturedLogs logs)
    {
        _app = app;
        Logs = logs;
        _database = database;
        Clock = clock;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
        Admin = new HttpClient { BaseAddress = address };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>What this server logged at Error or above.</summary>
    public CapturedLogs Logs { get; }

    public Uri Address { get; }

    /// <summary>An anonymous client (tracking routes).</summary>
    public HttpClient Client { get; }

    /// <summary>A client holding the admin key.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public string Provider => _database.Provider;

    public TestDatabase Database => _database;

    public static async Task<TestServer> StartAsync(string provider, params string[] extraArgs)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return await StartAsync(database, extraArgs);
    }

    public static Task<TestServer> StartAsync(TestDatabase database, params string[] extraArgs) =>
        StartAsync(database, new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), extraArgs);

    /// <summary>Stops this server and starts a new one on the same database and clock, which then owns the database.</summary>
    public async Task<TestServer> RestartAsync(params string[] extraArgs)
    {
        await _app.StopAsync();
        _ownsDatabase = false;
        return await StartAsync(_database, Clock, extraArgs);
    }

    private static async Task<TestServer> StartAsync(TestDatabase database, FakeTimeProvider clock, string[] extraArgs)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0", $"--Storage:Provider={database.Provider}", $"--Storage:ConnectionString={database.ConnectionString}",
            $"--Auth:AdminKey={AdminKey}", "--Logging:LogLevel:Default=Warning", .. extraArgs,
        ];
        var logs = new CapturedLogs();
        var app = OfferTraceHost.Build(args, b =>
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            b.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, database, clock, new Uri(address), logs);
    }

    /// <summary>Stops the server (draining the writer) but keeps the database.</summary>
    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
    }
}
