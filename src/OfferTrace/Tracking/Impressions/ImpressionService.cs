using System.Text.Json;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Impressions;

/// <summary>Records impressions: one, or a batch of up to 500 for one session.</summary>
public sealed class ImpressionService(CatalogCache catalog, TrackingLookup lookup, IngestWriter writer)
{
    public const int MaxBatch = 500;

    public async Task<Outcome<IReadOnlyList<ImpressionRecord>>> TrackAsync(JsonElement body, TrackingContext context, CancellationToken ct)
    {
        var r = new FieldReader(body, new FieldErrors());
        var sessionId = r.Id("session_id", required: true);
        var parsed = new List<(FieldReader Reader, string? Id, string? OfferId, int? Position, long? Duration, double? Visible, long? ViewableMs)>();
        if (r.Element("impressions", JsonValueKind.Array) is { } list)
        {
            var count = list.GetArrayLength();
            if (count == 0) r.Add("impressions", "must hold at least one impression");
            if (count > MaxBatch) r.Add("impressions", $"must hold at most {MaxBatch} impressions");
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) r.Add($"impressions[{index}]", "must be an object");
                    else parsed.Add(Read(new FieldReader(item, r.Errors, $"impressions[{index}]."), context));
                    index++;
                }
            }
        }
        else if (!r.Has("impressions"))
        {
            parsed.Add(Read(r, context));
        }
        if (r.Errors.Any) return Outcome<IReadOnlyList<ImpressionRecord>>.Invalid(r.Errors);

        var session = await lookup.SessionAsync(sessionId!, context.Pending, ct);
        if (session is null) return Outcome<IReadOnlyList<ImpressionRecord>>.Unprocessable($"Unknown session_id '{sessionId}'.", "session_id");
        var offers = catalog.Current.Offers;
        var records = new List<ImpressionRecord>(parsed.Count);
        foreach (var p in parsed)
        {
            if (!offers.TryGetValue(p.OfferId!, out var offer))
                return Outcome<IReadOnlyList<ImpressionRecord>>.Unprocessable($"Unknown offer_id '{p.OfferId}'.", "offer_id");
            records.Add(new ImpressionRecord(p.Id ?? Ids.New(Ids.Impression, context.Now), context.NowMs, session, offer, p.Position, p.Duration,
                p.Visible, p.Visible > 0, ImpressionRecord.IsViewable(p.Visible, p.ViewableMs ?? p.Duration)));
        }
        return await Ingest.SubmitAsync(writer, new ImpressionBatchItem(records, lookup), context, ct, StatusCodes.Status201Created, pending =>
        {
            foreach (var i in records) pending.Impressions[i.ImpressionId] = ImpressionBatchItem.ToInfo(i);
        });
    }

    private static (FieldReader, string?, string?, int?, long?, double?, long?) Read(FieldReader r, TrackingContext context) =>
    (
        r,
        context.AllowClientIds ? r.Id("impression_id") : null,
        r.Id("offer_id", required: true),
        r.Int("position", min: 1, max: 100_000),
        r.Int("view_duration_ms", min: 0, max: 86_400_000),
        r.Double("visible_percent", min: 0, max: 100),
        r.Int("viewable_ms", min: 0, max: 86_400_000)
    );
}
