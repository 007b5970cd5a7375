using Dapper;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Ledger;

/// <summary>Points redemption, a user's balance, and users in debt after chargebacks.</summary>
public static class LedgerApi
{
    public static void MapLedger(this RouteGroupBuilder admin)
    {
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
}

public sealed record RedemptionRequestDoc(string PublisherId, string UserId, long Points, string Reference);

public sealed record DebtView(string PublisherId, string UserId, long DebtPoints, string Since);
