using System.Text.Json;

namespace OfferTrace.Ledger;

/// <summary>The command-line form of the ledger replay: starts the service on a loopback port of its own, replays, stops.</summary>
public static class LedgerReplayCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = OfferTraceHost.Build(["--Logging:LogLevel:Default=Warning", .. args, "--urls=http://127.0.0.1:0", "--Jobs:Run=false"]);
        await app.StartAsync();
        var report = await app.Services.GetRequiredService<LedgerReplay>().RunAsync(CancellationToken.None);
        await app.StopAsync();
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true,
        }));
        return report.DifferenceCount == 0 ? 0 : 1;
    }
}
