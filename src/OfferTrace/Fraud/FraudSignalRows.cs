using System.Text.Json;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.Fraud;

/// <summary>Every fired rule becomes an <c>offerwall_fraud_signals</c> row, written with the event it judged.</summary>
public static class FraudSignalRows
{
    private static readonly SqlStatement Insert = SqlStatement.Insert("offerwall_fraud_signals",
        "signal_id, created_at, entity_type, entity_id, type, severity, weight, user_id, offer_id, publisher_id, country_code, details");

    public static void Queue(IStatementRunner runner, FraudVerdict verdict, string entityType, string entityId, long atMs,
        string? userId, string? offerId, string? publisherId, string? countryCode)
    {
        foreach (var s in verdict.Signals)
        {
            runner.Queue(Insert,
            [
                Ids.New(Ids.Signal, Timestamps.FromMs(atMs)), atMs, entityType, entityId, s.Type, s.Severity, s.Weight, userId, offerId,
                publisherId, countryCode, new JsonText(JsonSerializer.Serialize(s.Details)),
            ]);
        }
    }
}
