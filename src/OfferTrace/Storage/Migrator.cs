using System.Data.Common;
using System.Reflection;
using Dapper;

namespace OfferTrace.Storage;

/// <summary>Applies the embedded <c>NNNN_name.sql</c> migrations of one provider in order, each in its own transaction.</summary>
public static class Migrator
{
    public static async Task ApplyAsync(DbConnection connection, string resourceFolder, ILogger logger, CancellationToken ct)
    {
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();

        foreach (var (version, name, sql) in Load(resourceFolder))
        {
            if (applied.Contains(version)) continue;
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(sql, transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx);
            await tx.CommitAsync(ct);
            logger.LogInformation("Applied migration {Version} {Name}", version, name);
        }
    }

    private static IEnumerable<(long Version, string Name, string Sql)> Load(string resourceFolder)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"OfferTrace.Storage.{resourceFolder}.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = resource[prefix.Length..^".sql".Length];
            var version = long.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (version, file[5..], reader.ReadToEnd());
        }
    }
}
