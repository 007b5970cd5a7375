using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Admin;

/// <summary>API keys are stored only as SHA-256 hashes; the secret is shown once when created.</summary>
public sealed partial class ApiKeyStore(Database database, IOptions<AuthOptions> options, TimeProvider time, ILogger<ApiKeyStore> logger)
{
    private const string BootstrapName = "bootstrap";

    public async Task<Caller?> AuthenticateAsync(string key, CancellationToken ct)
    {
        if (options.Value.AdminKey is { Length: > 0 } configured && Hashing.FixedTimeEqualsHex(Hashing.Sha256Hex(configured), Hashing.Sha256Hex(key)))
            return new Caller("config", "admin");
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync("SELECT key_id, scope FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL",
            new { hash = Hashing.Sha256Hex(key) });
        return row is null ? null : new Caller(DbRow.From(row).Str("key_id"), DbRow.From(row).Str("scope"));
    }

    public async Task<(string KeyId, string Key)> CreateAsync(string name, string scope, CancellationToken ct)
    {
        var key = "ot_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var keyId = Ids.New(Ids.Key, time);
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync("INSERT INTO api_keys (key_id, name, scope, key_hash, created_at) VALUES (@keyId, @name, @scope, @hash, @at)",
            new { keyId, name, scope, hash = Hashing.Sha256Hex(key), at = Timestamps.ToMs(time.GetUtcNow()) });
        return (keyId, key);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync("SELECT key_id, name, scope, created_at, revoked_at FROM api_keys ORDER BY key_id");
        return rows.Select(r => DbRow.From(r)).Select(r => new ApiKeyView(r.Str("key_id"), r.Str("name"), r.Str("scope"),
            Timestamps.Format(r.Long("created_at")), r.LongOrNull("revoked_at") is { } at ? Timestamps.Format(at) : null)).ToList();
    }

    public async Task<bool> RevokeAsync(string keyId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE key_id = @keyId AND revoked_at IS NULL",
            new { keyId, at = Timestamps.ToMs(time.GetUtcNow()) }) > 0;
    }

    /// <summary>Without a configured admin key, makes one on first start and prints it once.</summary>
    public async Task EnsureBootstrapKeyAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.Value.AdminKey)) return;
        await using (var c = await database.OpenAsync(ct))
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE name = @name", new { name = BootstrapName }) > 0) return;
        }
        var (_, key) = await CreateAsync(BootstrapName, "admin", ct);
        LogBootstrapKey(key);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No Auth:AdminKey was configured, so an admin key was generated. It is shown only this once: {AdminKey}")]
    private partial void LogBootstrapKey(string adminKey);
}

public sealed record ApiKeyView(string KeyId, string Name, string Scope, string CreatedAt, string? RevokedAt);
