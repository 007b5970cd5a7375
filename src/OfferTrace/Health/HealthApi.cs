using Dapper;
using OfferTrace.Storage;

namespace OfferTrace.Health;

public static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live", null)));
        health.MapGet("/ready", async Task<IResult> (Database database, CancellationToken ct) =>
        {
            try
            {
                await using var c = await database.OpenAsync(ct);
                await c.ExecuteScalarAsync<long>("SELECT 1");
                return TypedResults.Ok(new HealthStatus("ready", database.Provider));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return TypedResults.Problem(statusCode: 503, title: "Storage unreachable", detail: e.Message);
            }
        });
    }
}

public sealed record HealthStatus(string Status, string? Storage);
