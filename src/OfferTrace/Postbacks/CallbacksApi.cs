using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Postbacks;

/// <summary><c>GET /api/admin/offerwall/callbacks</c>: the raw network callbacks, newest first; <c>outcome=refused</c> shows why some were turned away.</summary>
public static class CallbacksApi
{
    public static void MapCallbacks(this RouteGroupBuilder admin) =>
        admin.MapGet("/offerwall/callbacks", async (HttpContext http, Database database, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var errors = new FieldErrors();
            var limit = Paging.Limit(q["limit"].FirstOrDefault(), errors);
            if (errors.Any) return Problems.Validation(errors.ToDictionary());
            var outcome = q["outcome"].FirstOrDefault();
            var networkId = q["network_id"].FirstOrDefault();
            var cursor = q["cursor"].FirstOrDefault();
            await using var c = await database.OpenAsync(ct);
            var rows = (await c.QueryAsync(
                    "SELECT callback_id, received_at, network_id, method, url, headers, body, source_ip, outcome, http_status, reason, transaction_id, conversion_id " +
                    "FROM raw_callbacks WHERE (@outcome IS NULL OR outcome = @outcome) AND (@networkId IS NULL OR network_id = @networkId) " +
                    "AND (@cursor IS NULL OR callback_id < @cursor) ORDER BY callback_id DESC LIMIT @take",
                    new { outcome, networkId, cursor, take = limit + 1 }))
                .Select(x => DbRow.From((object)x))
                .Select(r => new CallbackView(r.Str("callback_id"), Timestamps.Format(r.Long("received_at")), r.StrOrNull("network_id"), r.Str("method"),
                    r.Str("url"), System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(r.Str("headers"))!, r.StrOrNull("body"),
                    r.Str("source_ip"), r.Str("outcome"), r.Int("http_status"), r.StrOrNull("reason"), r.StrOrNull("transaction_id"), r.StrOrNull("conversion_id")))
                .ToList();
            return Results.Ok(new Page<CallbackView>(rows.Take(limit).ToList(), rows.Count > limit ? rows[limit - 1].CallbackId : null));
        }).Produces<Page<CallbackView>>();
}

public sealed record CallbackView(string CallbackId, string ReceivedAt, string? NetworkId, string Method, string Url, Dictionary<string, string> Headers,
    string? Body, string SourceIp, string Outcome, int HttpStatus, string? Reason, string? TransactionId, string? ConversionId);
