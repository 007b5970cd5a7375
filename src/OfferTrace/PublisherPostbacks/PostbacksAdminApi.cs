using OfferTrace.Common;

namespace OfferTrace.PublisherPostbacks;

/// <summary>
/// The delivery log and its actions: <c>/api/admin/postbacks</c> (list, one with its attempts, resend, alerts) and, per
/// publisher, the postback tester, the resume after a pause and the secret rotation.
/// </summary>
public static class PostbacksAdminApi
{
    private static readonly string[] States = [DeliveryState.Pending, DeliveryState.Delivered, DeliveryState.Failed];

    public static void MapPostbacksAdmin(this RouteGroupBuilder admin)
    {
        var postbacks = admin.MapGroup("/postbacks");
        postbacks.MapGet("/", async (HttpContext http, PostbackDeliveries deliveries, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var errors = new FieldErrors();
            var limit = Paging.Limit(q["limit"].FirstOrDefault(), errors);
            var state = q["state"].FirstOrDefault();
            if (state is not null && !States.Contains(state)) errors.Add("state", $"must be one of {string.Join(", ", States)}");
            if (errors.Any) return Problems.Validation(errors.ToDictionary());
            return Results.Ok(await deliveries.ListAsync(q["publisher_id"].FirstOrDefault(), state, q["conversion_id"].FirstOrDefault(),
                q["cursor"].FirstOrDefault(), limit, ct));
        }).Produces<Page<DeliveryView>>();

        postbacks.MapGet("/alerts", async (PostbackDeliveries deliveries, CancellationToken ct) =>
            TypedResults.Ok(new Page<PostbackAlert>(await deliveries.AlertsAsync(ct), null)));

        postbacks.MapGet("/{deliveryId}", async (string deliveryId, PostbackDeliveries deliveries, CancellationToken ct) =>
            await deliveries.FindAsync(deliveryId, ct) is { } d ? Results.Ok(d) : Problems.NotFound($"No postback delivery '{deliveryId}'."))
            .Produces<DeliveryView>();

        postbacks.MapPost("/{deliveryId}/resend", async (string deliveryId, PostbackDeliveries deliveries, CancellationToken ct) =>
            await deliveries.ResendAsync(deliveryId, ct) switch
            {
                ResendResult.Queued => Results.Accepted($"/api/admin/postbacks/{deliveryId}", await deliveries.FindAsync(deliveryId, ct)),
                ResendResult.CreditAlreadyReversed => Problems.Conflict($"The publisher already has the reversal of delivery '{deliveryId}''s credit."),
                _ => Problems.NotFound($"No postback delivery '{deliveryId}'."),
            })
            .Produces<DeliveryView>(StatusCodes.Status202Accepted);

        var publisher = admin.MapGroup("/publishers/{publisherId}");
        publisher.MapPost("/postback-test", async (string publisherId, HttpContext http, PostbackDeliveries deliveries, CancellationToken ct) =>
        {
            if (deliveries.Publisher(publisherId) is not { } p) return Problems.NotFound($"No publisher '{publisherId}'.");
            if (string.IsNullOrEmpty(p.PostbackUrl)) return Problems.Validation("postback_url", "the publisher has no postback_url to test");
            var (userId, points, problem) = await TestInputAsync(http, ct);
            if (problem is not null) return problem;
            return Results.Ok(await deliveries.TestAsync(p, userId, points, ct));
        }).Produces<TestView>();

        publisher.MapPost("/postbacks/resume", async (string publisherId, PostbackDeliveries deliveries, CancellationToken ct) =>
        {
            if (deliveries.Publisher(publisherId) is null) return Problems.NotFound($"No publisher '{publisherId}'.");
            return await deliveries.ResumeAsync(publisherId, ct)
                ? Results.Ok(new { publisher_id = publisherId, resumed = true })
                : Problems.Conflict($"Postbacks to publisher '{publisherId}' are not paused.");
        });

        publisher.MapPost("/postback-secret", async (string publisherId, PostbackDeliveries deliveries, CancellationToken ct) =>
        {
            if (deliveries.Publisher(publisherId) is not { } p) return Problems.NotFound($"No publisher '{publisherId}'.");
            return Results.Ok(new { publisher_id = publisherId, postback_secret = await deliveries.RotateSecretAsync(p, ct) });
        });
    }

    /// <summary>The tester's optional body: <c>{"user_id": "...", "points": 100}</c>.</summary>
    private static async Task<(string UserId, long Points, IResult? Problem)> TestInputAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength is null or 0 && !http.Request.Headers.TransferEncoding.Any()) return ("test-user", 100, null);
        var (document, problem) = await JsonBody.ReadAsync(http.Request, allowTextPlain: false, ct);
        if (problem is not null) return ("", 0, problem);
        using (document)
        {
            var r = new FieldReader(document!.RootElement, new FieldErrors());
            var userId = r.String("user_id", maxLength: 256) ?? "test-user";
            var points = r.Int("points", min: 0, max: 1_000_000_000) ?? 100;
            return r.Errors.Any ? ("", 0, Problems.Validation(r.Errors.ToDictionary())) : (userId, points, null);
        }
    }
}
