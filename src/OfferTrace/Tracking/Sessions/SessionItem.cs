using OfferTrace.Analytics;
using OfferTrace.Fraud;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Sessions;

/// <summary>Writes a session, its fraud signals and its rollup count.</summary>
internal sealed class SessionItem(SessionRecord session, TrackingLookup lookup) : IngestItem<SessionRecord>
{
    protected override ValueTask<SessionRecord> WriteRowsAsync(WriteContext context, CancellationToken ct)
    {
        context.Runner.Queue(SessionRowsSql.Insert, SessionRowsSql.Values(session));
        FraudSignalRows.Queue(context.Runner, session.Fraud, "session", session.SessionId, session.CreatedAtMs, session.UserId, null,
            session.PublisherId, session.Geo.CountryCode);
        context.Rollups.Add(session.CreatedAtMs, session.PublisherId, session.PlacementId, null, session.Geo.CountryCode, session.Device.Type,
            "", new RollupCounts(Sessions: 1));
        return ValueTask.FromResult(session);
    }

    protected override void OnCommitted(SessionRecord result) => lookup.Remember(result.SessionId, result.ToInfo());
}
