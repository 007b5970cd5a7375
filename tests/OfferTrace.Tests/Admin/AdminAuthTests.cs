using System.Net;
using System.Net.Http.Headers;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Admin;

public sealed class AdminAuthTests
{
    [Fact]
    public async Task Admin_routes_need_a_valid_bearer_key()
    {
        await using var server = await TestServer.StartAsync("sqlite");

        var none = await server.Client.GetJsonAsync("/api/admin/publishers");
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal("application/problem+json", none.ContentType);
        Assert.Equal("Bearer", none.Message.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = new HttpClient { BaseAddress = server.Address };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetJsonAsync("/api/admin/publishers")).Status);

        (await server.Admin.GetJsonAsync("/api/admin/publishers")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Publisher_keys_read_only_their_own_analytics_and_cannot_write()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_2", name = "Two" })).Expect(HttpStatusCode.Created);
        var created = (await server.Admin.PostJsonAsync("/api/admin/keys", new { name = "pub 1 key", scope = "publisher:pub_1" })).Expect(HttpStatusCode.Created);
        var key = created.Str("key");
        Assert.Equal("publisher:pub_1", created.Str("scope"));

        using var publisher = new HttpClient { BaseAddress = server.Address };
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        (await publisher.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics")).Expect(HttpStatusCode.OK);
        (await publisher.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics?publisher_id=pub_1")).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics?publisher_id=pub_2")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.PostJsonAsync("/api/admin/offers", new { offer_id = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.GetJsonAsync("/api/admin/publishers")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.GetJsonAsync("/api/admin/keys")).Status);

        var keyId = created.Str("key_id");
        var listed = (await server.Admin.GetJsonAsync("/api/admin/keys")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(key, listed.Body.GetRawText());
        (await server.Admin.SendJsonAsync(HttpMethod.Delete, $"/api/admin/keys/{keyId}", "{}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, (await publisher.GetJsonAsync("/api/admin/offerwall/comprehensive-analytics")).Status);
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_once_and_stored_hashed()
    {
        var database = await Infrastructure.TestDatabase.CreateAsync("sqlite");
        try
        {
            for (var start = 0; start < 2; start++)
            {
                var app = OfferTraceHost.Build(["--urls=http://127.0.0.1:0", "--Storage:ConnectionString=" + database.ConnectionString]);
                await app.StartAsync();
                await app.StopAsync();
                await app.DisposeAsync();
            }
            await using var c = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
            await c.OpenAsync();
            await using var command = new Microsoft.Data.Sqlite.SqliteCommand("SELECT COUNT(*), MIN(length(key_hash)) FROM api_keys WHERE name = 'bootstrap'", c);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(1, reader.GetInt64(0));
            Assert.Equal(64, reader.GetInt64(1));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Catalogue_validation_names_every_bad_field_and_duplicates_conflict()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var bad = await server.Admin.PostJsonAsync("/api/admin/publishers", new
        {
            publisher_id = "has space", commission_percent = 80, user_reward_percent = 50, points_per_currency_unit = -1, postback_url = "ftp://x",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var errors = bad.Body.GetProperty("errors");
        foreach (var field in new[] { "publisher_id", "name", "commission_percent", "points_per_currency_unit", "postback_url" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not in {errors}");

        (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_1", name = "One" })).Expect(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Conflict, (await server.Admin.PostJsonAsync("/api/admin/publishers", new { publisher_id = "pub_1", name = "Again" })).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await server.Admin.PostJsonAsync("/api/admin/offers", new { offer_id = "o1", network_id = "net_missing", payout = 1, url = "https://a.example/" })).Status);

        var updated = await server.Admin.SendJsonAsync(HttpMethod.Put, "/api/admin/publishers/pub_1", "{\"name\":\"Renamed\",\"commission_percent\":30}");
        updated.Expect(HttpStatusCode.OK);
        Assert.Equal("Renamed", updated.Str("name"));
        Assert.Equal(30, updated.Body.GetProperty("commission_percent").GetDecimal());
        (await server.Admin.SendJsonAsync(HttpMethod.Delete, "/api/admin/publishers/pub_1", "{}")).Expect(HttpStatusCode.NoContent);

        (await server.Admin.PostJsonAsync("/api/admin/networks", new { network_id = "net_used", postback_token = "t" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/networks", new { network_id = "net_free", postback_token = "t" })).Expect(HttpStatusCode.Created);
        (await server.Admin.PostJsonAsync("/api/admin/offers", new { offer_id = "o_used", network_id = "net_used", payout = 1, url = "https://a.example/" }))
            .Expect(HttpStatusCode.Created);
        var inUse = await server.Admin.SendJsonAsync(HttpMethod.Delete, "/api/admin/networks/net_used", "{}");
        Assert.Equal(HttpStatusCode.Conflict, inUse.Status);
        Assert.Equal("application/problem+json", inUse.ContentType);
        (await server.Admin.SendJsonAsync(HttpMethod.Delete, "/api/admin/networks/net_free", "{}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.SendJsonAsync(HttpMethod.Delete, "/api/admin/networks/net_free", "{}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetJsonAsync("/api/admin/publishers/pub_1")).Status);
    }
}
