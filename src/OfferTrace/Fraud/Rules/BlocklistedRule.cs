using OfferTrace.Fraud.Blocklist;

namespace OfferTrace.Fraud.Rules;

/// <summary>The address or device is on the blocklist: decisive.</summary>
public static class BlocklistedRule
{
    public static FraudSignal? Check(BlocklistEntry? entry) =>
        entry is null ? null : new FraudSignal("blocklisted", Severity.High, 100, true, new Dictionary<string, object?>
        {
            ["entry_id"] = entry.EntryId, ["kind"] = entry.Kind, ["value"] = entry.Value, ["reason"] = entry.Reason, ["source"] = entry.Source,
        });
}
