using Npgsql;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>
/// A fresh database per test: a SQLite file in a temporary folder, or a new database on the PostgreSQL server
/// named by OFFERTRACE_TEST_PG (the README's test command installs and starts one). A missing server fails the test.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "OFFERTRACE_TEST_PG";

    private readonly string? _directory;
    private readonly string? _postgresName;

    private TestDatabase(string provider, string connectionString, string? directory, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _directory = directory;
        _postgresName = postgresName;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var directory = Path.Combine(Path.GetTempPath(), "offertrace-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new TestDatabase(provider, $"Data Source={Path.Combine(directory, "offertrace.db")}", directory, null);
        }
        var server = ServerConnectionString();
        var name = "ot_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, null, name);
    }

    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set: PostgreSQL tests need a server. Run the README's test command (./test.sh), which installs and starts one.");

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(ServerConnectionString());
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
