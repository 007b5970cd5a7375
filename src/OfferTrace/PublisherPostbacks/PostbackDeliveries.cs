using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.PublisherPostbacks;

/// <summary>What an admin does with publisher postbacks: read the delivery log, resend, test, resume a paused publisher, rotate a secret.</summary>
public sealed class PostbackDeliveries(Database database, CatalogCache catalog, PostbackSender sender, PostbackOutbox outbox,
    PostbackDispatcher dispatcher, IOptions<PostbacksOptions> options, IOptions<Ledger.MoneyOptions> money, TimeProvider time)
{
    private const string DeliveryColumns =
        "delivery_id, created_at, publisher_id, conversion_id, kind, payload, state, attempts, next_attempt_at, give_up_at, last_status_code, last_error, delivered_at";

    public async Task<Page<DeliveryView>> ListAsync(string? publisherId, string? state, string? conversionId, string? cursor, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = (await c.QueryAsync(
            $"SELECT {DeliveryColumns} FROM postback_deliveries WHERE (@publisherId IS NULL OR publisher_id = @publisherId) " +
            "AND (@state IS NULL OR state = @state) AND (@conversionId IS NULL OR conversion_id = @conversionId) " +
            "AND (@cursor IS NULL OR delivery_id < @cursor) ORDER BY delivery_id DESC LIMIT @take",
            new { publisherId, state, conversionId, cursor, take = limit + 1 })).Select(r => DeliveryView.From(DbRow.From((object)r))).ToList();
        return new Page<DeliveryView>(rows.Take(limit).ToList(), rows.Count > limit ? rows[limit - 1].DeliveryId : null);
    }

    public async Task<DeliveryView?> FindAsync(string deliveryId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync($"SELECT {DeliveryColumns} FROM postback_deliveries WHERE delivery_id = @deliveryId", new { deliveryId });
        if (row is null) return null;
        var attempts = (await c.QueryAsync(
                "SELECT attempt, started_at, request, status_code, response_excerpt, latency_ms, error FROM postback_attempts WHERE delivery_id = @deliveryId ORDER BY attempt, started_at",
                new { deliveryId }))
            .Select(a => AttemptView.From(DbRow.From((object)a))).ToList();
        return DeliveryView.From(DbRow.From((object)row)) with { AttemptLog = attempts };
    }

    /// <summary>
    /// Sends a delivery again now, whatever its state, with a fresh retry window; not a credit whose reversal the
    /// publisher already has (it would credit again what was taken back).
    /// </summary>
    public async Task<ResendResult> ResendAsync(string deliveryId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await database.OpenAsync(ct);
        var reversed = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM postback_deliveries d JOIN postback_deliveries r ON r.conversion_id = d.conversion_id AND r.kind = @reversal " +
            "AND r.state = @delivered WHERE d.delivery_id = @deliveryId AND d.kind = @credit",
            new { reversal = DeliveryKind.Reversal, delivered = DeliveryState.Delivered, deliveryId, credit = DeliveryKind.Credit });
        if (reversed > 0) return ResendResult.CreditAlreadyReversed;
        var changed = await c.ExecuteAsync(
            "UPDATE postback_deliveries SET state = @pending, next_attempt_at = @now, give_up_at = @giveUp, claimed_until = NULL WHERE delivery_id = @deliveryId",
            new { pending = DeliveryState.Pending, now, giveUp = now + options.Value.RetryHours * 3_600_000L, deliveryId });
        if (changed == 1) outbox.Wake();
        return changed == 1 ? ResendResult.Queued : ResendResult.NotFound;
    }

    /// <summary>
    /// The postback tester: sends a signed test postback (<c>debug=1</c>, status 1, made-up values) to the publisher now,
    /// logs it like any delivery, and shows the exchange. Paused publishers can be tested: that is how one checks a fix.
    /// </summary>
    public async Task<TestView> TestAsync(Publisher publisher, string userId, long points, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var deliveryId = Ids.New(Ids.Delivery, now);
        var payload = new PostbackPayload(userId, points, 0.50m, 0.35m, money.Value.BaseCurrency, "test-" + deliveryId[4..16], "cnv_test", "off_test", "Test offer", "test",
            PostbackPayload.Credit, "203.0.113.1", Debug: true);
        await using (var c = await database.OpenAsync(ct))
        {
            await c.ExecuteAsync(
                "INSERT INTO postback_deliveries (delivery_id, created_at, publisher_id, conversion_id, kind, payload, state, attempts, next_attempt_at, claimed_until, give_up_at) " +
                "VALUES (@deliveryId, @now, @publisherId, NULL, @kind, @payload, @state, 0, @now, @claimed, @now)",
                new
                {
                    deliveryId, now = now.ToUnixTimeMilliseconds(), publisherId = publisher.PublisherId, kind = DeliveryKind.Test,
                    payload = JsonSerializer.Serialize(payload), state = DeliveryState.Pending, claimed = long.MaxValue,
                });
        }
        var result = await sender.SendAsync(publisher, deliveryId, DeliveryKind.Test, payload, ct);
        await dispatcher.RecordAsync(deliveryId, publisher.PublisherId, 1, result, rescheduleOnFailure: false, ct);
        return new TestView(deliveryId, result.Request, result.StatusCode, result.ResponseExcerpt, result.LatencyMs, result.Error, result.Delivered);
    }

    /// <summary>Publishers whose postbacks are paused, and why: the admin's alerts.</summary>
    public async Task<IReadOnlyList<PostbackAlert>> AlertsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync(
                "SELECT h.publisher_id, h.consecutive_failures, h.last_failure_at, h.last_error, h.paused_at, " +
                "(SELECT COUNT(*) FROM postback_deliveries d WHERE d.publisher_id = h.publisher_id AND d.state = 'pending') AS waiting " +
                "FROM publisher_postback_health h WHERE h.paused_at IS NOT NULL ORDER BY h.paused_at"))
            .Select(r => DbRow.From((object)r))
            .Select(r => new PostbackAlert(r.Str("publisher_id"), "postbacks_paused", r.Int("consecutive_failures"), Timestamps.Format(r.Long("paused_at")),
                r.LongOrNull("last_failure_at") is { } at ? Timestamps.Format(at) : null, r.StrOrNull("last_error"), r.Long("waiting")))
            .ToList();
    }

    /// <summary>Ends a publisher's pause: its waiting deliveries are due now, with a fresh retry window.</summary>
    public async Task<bool> ResumeAsync(string publisherId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await database.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var resumed = await c.ExecuteAsync(
            "UPDATE publisher_postback_health SET paused_at = NULL, consecutive_failures = 0 WHERE publisher_id = @publisherId AND paused_at IS NOT NULL",
            new { publisherId }, tx);
        await c.ExecuteAsync(
            "UPDATE postback_deliveries SET next_attempt_at = @now, give_up_at = CASE WHEN give_up_at < @giveUp THEN @giveUp ELSE give_up_at END " +
            "WHERE publisher_id = @publisherId AND state = @pending",
            new { now, giveUp = now + options.Value.RetryHours * 3_600_000L, publisherId, pending = DeliveryState.Pending }, tx);
        await tx.CommitAsync(ct);
        if (resumed == 1) outbox.Wake();
        return resumed == 1;
    }

    /// <summary>A new postback secret, shown once; the old one keeps signing webhooks for <c>Postbacks:SecretGraceHours</c>.</summary>
    public async Task<string> RotateSecretAsync(Publisher publisher, CancellationToken ct)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var c = await database.OpenAsync(ct))
        {
            await c.ExecuteAsync(
                "UPDATE publishers SET postback_secret = @secret, postback_secret_previous = @previous, postback_secret_previous_until = @until, updated_at = @now " +
                "WHERE publisher_id = @publisherId",
                new
                {
                    secret, previous = publisher.PostbackSecret, until = now + options.Value.SecretGraceHours * 3_600_000L, now,
                    publisherId = publisher.PublisherId,
                });
        }
        await catalog.ReloadAsync(ct);
        return secret;
    }

    public Publisher? Publisher(string publisherId) => catalog.Current.Publishers.GetValueOrDefault(publisherId);
}

public enum ResendResult
{
    Queued,
    NotFound,
    CreditAlreadyReversed,
}

public sealed record DeliveryView(
    string DeliveryId, string CreatedAt, string PublisherId, string? ConversionId, string Kind, string State, int Attempts, string NextAttemptAt,
    string GiveUpAt, int? LastStatusCode, string? LastError, string? DeliveredAt, JsonElement Payload, IReadOnlyList<AttemptView>? AttemptLog)
{
    public static DeliveryView From(DbRow r) => new(
        r.Str("delivery_id"), Timestamps.Format(r.Long("created_at")), r.Str("publisher_id"), r.StrOrNull("conversion_id"), r.Str("kind"), r.Str("state"),
        r.Int("attempts"), Timestamps.Format(r.Long("next_attempt_at")), Timestamps.Format(r.Long("give_up_at")),
        r.LongOrNull("last_status_code") is { } code ? (int)code : null, r.StrOrNull("last_error"),
        r.LongOrNull("delivered_at") is { } at ? Timestamps.Format(at) : null, JsonSerializer.Deserialize<JsonElement>(r.Str("payload")), null);
}

public sealed record AttemptView(int Attempt, string StartedAt, string Request, int? StatusCode, string? ResponseExcerpt, long LatencyMs, string? Error)
{
    public static AttemptView From(DbRow r) => new(
        r.Int("attempt"), Timestamps.Format(r.Long("started_at")), r.Str("request"), r.LongOrNull("status_code") is { } code ? (int)code : null,
        r.StrOrNull("response_excerpt"), r.Long("latency_ms"), r.StrOrNull("error"));
}

public sealed record TestView(string DeliveryId, string Request, int? StatusCode, string? ResponseExcerpt, long LatencyMs, string? Error, bool Delivered);

public sealed record PostbackAlert(string PublisherId, string Type, int ConsecutiveFailures, string PausedAt, string? LastFailureAt, string? LastError,
    long WaitingDeliveries);
