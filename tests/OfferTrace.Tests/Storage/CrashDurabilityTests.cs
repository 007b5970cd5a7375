using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Dapper;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Storage;

/// <summary>An acknowledged event survives kill -9: every click answered 201 is in the database after the crash.</summary>
public sealed class CrashDurabilityTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Every_click_answered_201_survives_kill_9_in_the_middle_of_a_load(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var acknowledged = new ConcurrentBag<string>();
        var failures = 0;
        using (var server = await ServerProcess.StartAsync(database))
        {
            using var admin = new HttpClient { BaseAddress = server.Address };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminKey);
            await Catalogue.SeedWorkedExampleAsync(admin);
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
            var sessions = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                var s = await client.PostJsonAsync("/api/offerwall/session/create", new { user_id = $"u_{i}", publisher_id = "pub_1", placement_id = "plc_1" });
                sessions.Add(s.Expect(HttpStatusCode.Created).Str("session_id"));
            }

            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var click = await client.PostJsonAsync("/api/offerwall/track/click",
                            new { session_id = sessions[(w + n++) % sessions.Count], offer_id = "off_survey", mouse_movement_px = 50 });
                        if (click.Status == HttpStatusCode.Created) acknowledged.Add(click.Str("click_id"));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        Interlocked.Increment(ref failures);
                        if (stop.IsCancellationRequested) break;
                        await Task.Delay(10);
                    }
                }
            })).ToList();

            while (acknowledged.Count < 300) await Task.Delay(10);
            server.KillHard();
            await Task.Delay(200);
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        Assert.True(acknowledged.Count >= 300);
        using (await ServerProcess.StartAsync(database))
        {
            await using var c = provider == "sqlite"
                ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString)
                : new Npgsql.NpgsqlConnection(database.ConnectionString);
            await c.OpenAsync();
            var stored = (await c.QueryAsync<string>("SELECT click_id FROM offerwall_clicks_detailed")).ToHashSet();
            var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged clicks are missing after kill -9");
            Assert.True(stored.Count >= acknowledged.Count);
        }
    }
}
