using Dapper;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>Points redemption, a user's balance, users in debt after chargebacks, and the payout statuses of earnings and network payouts.</summary>
public static class LedgerApi
{
    public static void MapLedger(this RouteGroupBuilder admin)
    {
        admin.MapPost("/ledger/replay", async (LedgerReplay replay, CancellationToken ct) => TypedResults.Ok(await replay.RunAsync(ct)));

        var offerwall = admin.MapGroup("/offerwall");
        offerwall.MapPost("/redemptions", async (HttpRequest request, Redemptions redemptions, CatalogCache catalog, IngestWriter writer, CancellationToken ct) =>
        {
            var (document, problem) = await JsonBody.ReadAsync(request, allowTextPlain: false, ct);
            if (problem is not null) return problem;
            using (document)
            {
                var r = new FieldReader(document!.RootElement, new FieldErrors());
                var publisherId = r.Id("publisher_id", required: true);
                var userId = r.String("user_id", required: true, maxLength: 256);
                var points = r.Int("points", required: true, min: 1, max: 1_000_000_000);
                var reference = r.String("reference", required: true, maxLength: 128);
                if (r.Errors.Any) return Problems.Validation(r.Errors.ToDictionary());
                if (!catalog.Current.Publishers.ContainsKey(publisherId!)) return Problems.Unprocessable($"Unknown publisher_id '{publisherId}'.", "publisher_id");
                var outcome = await redemptions.RedeemAsync(publisherId!, userId!, points!.Value, reference!, ct);
                if (!outcome.IsSuccess) return outcome.ToProblem(writer.RetryAfterSeconds);
                return outcome.Status == StatusCodes.Status201Created
                    ? Results.Created($"/api/admin/offerwall/redemptions/{outcome.Value!.RedemptionId}", outcome.Value)
                    : Results.Ok(outcome.Value);
            }
        }).Accepts<RedemptionRequestDoc>("application/json").Produces<RedemptionView>(StatusCodes.Status201Created);

        offerwall.MapPost("/conversions/{conversionId}/status", async (string conversionId, HttpRequest request, ConversionReview review,
            Postbacks.ConversionService conversions, IngestWriter writer, CancellationToken ct) =>
        {
            var (document, problem) = await JsonBody.ReadAsync(request, allowTextPlain: false, ct);
            if (problem is not null) return problem;
            using (document)
            {
                var r = new FieldReader(document!.RootElement, new FieldErrors());
                var status = r.String("status", required: true, maxLength: 16);
                if (status is not null && status is not ("approved" or "rejected")) r.Add("status", "must be approved or rejected");
                var note = r.String("note", maxLength: 500);
                if (r.Errors.Any) return Problems.Validation(r.Errors.ToDictionary());
                var outcome = await review.DecideAsync(conversionId, status!, note, ct);
                if (!outcome.IsSuccess) return outcome.ToProblem(writer.RetryAfterSeconds);
                return Results.Ok(await conversions.FindAsync(conversionId, ct));
            }
        }).Produces<Postbacks.ConversionView>();

        MapPayoutLedger(offerwall, "/earnings", PayoutStatuses.Earnings, "publisher_id");
        MapPayoutLedger(offerwall, "/payouts", PayoutStatuses.Payouts, "network_id");

        offerwall.MapGet("/balances/{publisherId}/{userId}", async (string publisherId, string userId, Redemptions redemptions, CancellationToken ct) =>
            TypedResults.Ok(await redemptions.BalanceAsync(publisherId, userId, ct)));

        offerwall.MapGet("/debts", async (HttpContext http, Database database, CancellationToken ct) =>
        {
            var publisherId = http.Request.Query["publisher_id"].FirstOrDefault();
            await using var c = await database.OpenAsync(ct);
            var rows = await c.QueryAsync(
                "SELECT publisher_id, user_id, available_points, updated_at FROM user_points WHERE available_points < 0 " +
                "AND (@publisherId IS NULL OR publisher_id = @publisherId) ORDER BY available_points, publisher_id, user_id LIMIT 1000",
                new { publisherId });
            return TypedResults.Ok(new Page<DebtView>(rows.Select(x => DbRow.From((object)x))
                .Select(x => new DebtView(x.Str("publisher_id"), x.Str("user_id"), -x.Long("available_points"), Timestamps.Format(x.Long("updated_at"))))
                .ToList(), null));
        });
    }

    /// <summary>
    /// <c>GET {path}</c> lists entries (owner, status, cursor); <c>POST {path}/status</c> moves them in bulk:
    /// <c>{"to": "approved" | "rejected" | "paid", "ids": [...]}</c>, or instead of ids a filter
    /// <c>{"owner field": "...", "status": "pending", "created_before": "2026-11-30"}</c>.
    /// </summary>
    private static void MapPayoutLedger(RouteGroupBuilder offerwall, string path, PayoutLedger ledger, string ownerField)
    {
        offerwall.MapGet(path, async (HttpContext http, PayoutStatuses statuses, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var errors = new FieldErrors();
            var limit = Paging.Limit(q["limit"].FirstOrDefault(), errors);
            if (errors.Any) return Problems.Validation(errors.ToDictionary());
            return Results.Ok(await statuses.ListAsync(ledger, q[ownerField].FirstOrDefault(), q["status"].FirstOrDefault(), q["cursor"].FirstOrDefault(),
                limit, ct));
        }).Produces<Page<PayoutEntryView>>();

        offerwall.MapPost(path + "/status", async (HttpContext http, PayoutStatuses statuses, TimeProvider time, CancellationToken ct) =>
        {
            var (document, problem) = await JsonBody.ReadAsync(http.Request, allowTextPlain: false, ct);
            if (problem is not null) return problem;
            using (document)
            {
                var r = new FieldReader(document!.RootElement, new FieldErrors());
                var to = r.String("to", required: true, maxLength: 16);
                if (to is not null && !PayoutStatuses.AllowedFrom.ContainsKey(to)) r.Add("to", "must be approved, rejected or paid");
                var ids = CatalogFields.StringList(r, "ids", Ids.IsValidExternal, "ids of entries");
                var owner = r.Id(ownerField);
                var status = r.String("status", maxLength: 16);
                var before = r.String("created_before", maxLength: 40);
                long? beforeMs = null;
                if (before is not null)
                {
                    if (Timestamps.TryParse(before, TimeZoneInfo.Utc, out var at)) beforeMs = at.ToUnixTimeMilliseconds();
                    else r.Add("created_before", "must be an ISO date or date-time");
                }
                if (ids.Count > PayoutStatuses.MaxPerRequest) r.Add("ids", $"at most {PayoutStatuses.MaxPerRequest} a request");
                if (ids.Count == 0 && status is null) r.Add("ids", "give ids, or a filter with at least a status");
                if (r.Errors.Any) return Problems.Validation(r.Errors.ToDictionary());
                var selected = ids.Count > 0 ? ids : await statuses.SelectAsync(ledger, owner, status!, beforeMs, ct);
                return Results.Ok(await statuses.MoveAsync(ledger, selected, to!, Admin.Caller.Of(http).KeyId, ct));
            }
        }).Produces<StatusChangeReport>();
    }
}

public sealed record RedemptionRequestDoc(string PublisherId, string UserId, long Points, string Reference);

public sealed record DebtView(string PublisherId, string UserId, long DebtPoints, string Since);
