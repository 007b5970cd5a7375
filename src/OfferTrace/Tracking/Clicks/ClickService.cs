using System.Text.Json;
using OfferTrace.Caps;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Fraud.History;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Clicks;

/// <summary>Validates a click, measures its timing, builds the advertiser URL, judges it and hands it to the writer.</summary>
public sealed class ClickService(CatalogCache catalog, TrackingLookup lookup, FraudEngine fraud, Blocklist blocklist, FraudHistory history,
    IngestWriter writer, Database database)
{
    public async Task<Outcome<ClickRecord>> TrackAsync(JsonElement body, TrackingContext context, CancellationToken ct)
    {
        var r = new FieldReader(body, new FieldErrors());
        var clickId = context.AllowClientIds ? r.Id("click_id") : null;
        var sessionId = r.Id("session_id", required: true);
        var offerId = r.Id("offer_id", required: true);
        var impressionId = r.Id("impression_id");
        var position = r.Int("position", min: 1, max: 100_000);
        var mouse = r.Double("mouse_movement_px", min: 0, max: 1e9);
        var humanScore = r.Int("human_score", min: 0, max: 100);
        if (r.Errors.Any) return Outcome<ClickRecord>.Invalid(r.Errors);
        return await TrackAsync(new ClickInput(clickId, sessionId!, offerId!, impressionId, position, mouse, humanScore), context, ct);
    }

    public async Task<Outcome<ClickRecord>> TrackAsync(ClickInput input, TrackingContext context, CancellationToken ct)
    {
        if (!catalog.Current.Offers.TryGetValue(input.OfferId, out var offer))
            return Outcome<ClickRecord>.Unprocessable($"Unknown offer_id '{input.OfferId}'.", "offer_id");
        var session = await lookup.SessionAsync(input.SessionId, context.Pending, ct);
        if (session is null) return Outcome<ClickRecord>.Unprocessable($"Unknown session_id '{input.SessionId}'.", "session_id");
        if (!offer.IsActive && !context.AllowClientIds)
            return Outcome<ClickRecord>.Fail(StatusCodes.Status409Conflict, $"Offer '{offer.OfferId}' is {offer.Status}.");
        if (await CapUsage.ClickCapReachedAsync(database, offer, context.NowMs, ct) is { } period)
            return Outcome<ClickRecord>.Fail(StatusCodes.Status409Conflict, $"Offer '{offer.OfferId}' has reached its click cap for the {period}.");

        var startedAt = session.CreatedAt;
        var position = input.Position;
        if (input.ImpressionId is not null)
        {
            var impression = await lookup.ImpressionAsync(input.ImpressionId, context.Pending, ct);
            if (impression is null) return Outcome<ClickRecord>.Unprocessable($"Unknown impression_id '{input.ImpressionId}'.", "impression_id");
            if (impression.SessionId != session.SessionId || impression.OfferId != offer.OfferId)
                return Outcome<ClickRecord>.Unprocessable($"Impression '{input.ImpressionId}' is of another session or offer.", "impression_id");
            startedAt = impression.CreatedAt;
        }
        var timeToClick = Math.Max(0, context.NowMs - startedAt);
        double? velocity = input.MouseMovementPx is { } px && timeToClick > 0 ? px / timeToClick : null;
        var verdict = fraud.JudgeClick(new ClickFacts(session.Facts, timeToClick, input.ImpressionId is not null, input.MouseMovementPx, velocity,
            input.HumanScore, blocklist.Find(session.Ip, session.DeviceId, context.NowMs),
            history.Clicks.Record(session.Ip, session.UserId, offer.OfferId, context.NowMs, session.Facts.Network.IsPublicIp)));

        var id = input.ClickId ?? Ids.New(Ids.Click, context.Now);
        var click = new ClickRecord(id, context.NowMs, session, offer, input.ImpressionId, position, timeToClick, input.MouseMovementPx, velocity,
            input.HumanScore, RedirectUrl.Build(offer.Url, id, session, offer.OfferId), StatusCodes.Status302Found, verdict);
        return await Ingest.SubmitAsync(writer, new ClickItem(click), context, ct, StatusCodes.Status201Created,
            pending => pending.Clicks[click.ClickId] = click.ToInfo());
    }
}

public sealed record ClickInput(string? ClickId, string SessionId, string OfferId, string? ImpressionId, int? Position, double? MouseMovementPx, int? HumanScore);
