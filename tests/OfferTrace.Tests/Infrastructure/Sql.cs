using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OfferTrace.Storage;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>Reads the server's database directly, to check what was stored.</summary>
public static class Sql
{
    public static async Task<List<dynamic>> QueryAsync(TestServer server, string sql, object? args = null)
    {
        await using var c = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return (await c.QueryAsync(sql, args)).ToList();
    }

    public static async Task<T> ScalarAsync<T>(TestServer server, string sql, object? args = null)
    {
        await using var c = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }
}
