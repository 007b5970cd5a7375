using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>
/// A publisher's postback endpoint: a real HTTP server on a free loopback port that logs every request, answers 500 to
/// the first <c>failFirst</c> ones, then 200. Its handling is idempotent, as a publisher's must be: a postback is
/// applied once per (transaction id, status), so a repeated delivery credits nothing twice.
/// </summary>
public sealed class PostbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedPostback> _log = new();
    private readonly ConcurrentDictionary<string, ReceivedPostback> _applied = new();
    private int _failuresLeft;

    private PostbackReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The classic GET template with every macro.</summary>
    public string GetTemplate =>
        BaseUrl + "/postback?user={user_id}&points={points}&reward={reward}&payout={payout}&currency={currency}&tx={transaction_id}" +
        "&cnv={conversion_id}&offer={offer_id}&name={offer_name}&sub={sub_id}&status={status}&ip={ip}&sig={signature}&debug={debug}";

    public IReadOnlyList<ReceivedPostback> Log => [.. _log];

    /// <summary>Postbacks applied, once each by (transaction id, status).</summary>
    public IReadOnlyList<ReceivedPostback> Applied => [.. _applied.Values.OrderBy(p => p.At)];

    public static async Task<PostbackReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new PostbackReceiver(app, failFirst);
        app.Map("/postback", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var received = new ReceivedPostback(DateTimeOffset.UtcNow, http.Request.Method,
                http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), body,
                http.Request.Headers["X-OfferTrace-Signature"].ToString());
            receiver._log.Enqueue(received);
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0) return Results.StatusCode(500);
            receiver._applied.TryAdd(received.Key, received);
            return Results.Text("OK");
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedPostback(DateTimeOffset At, string Method, Dictionary<string, string> Query, string Body, string SignatureHeader)
{
    /// <summary>The receiver's idempotency key: the transaction and the status (a credit and its reversal are two postbacks).</summary>
    public string Key
    {
        get
        {
            if (Query.TryGetValue("tx", out var tx)) return $"{tx}:{Query.GetValueOrDefault("status")}";
            var data = System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("data");
            return $"{data.GetProperty("transaction_id").GetString()}:{data.GetProperty("status").GetInt32()}";
        }
    }
}

/// <summary>Waits for something a background service does.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"Not within {timeoutMs} ms: {what}");
            await Task.Delay(25);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 15_000) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeoutMs);
}
