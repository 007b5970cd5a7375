using OfferTrace.Fraud.History;

namespace OfferTrace.Fraud.Rules;

/// <summary>
/// The repeat-click tiers ad-fraud tools apply per IP to paid clicks (each new Google click id is one ad click): more
/// than one per campaign in a day, more than three across campaigns in two hours, more than ten in a day. Each limit
/// is configuration; one signal names every tier exceeded. Suspicious alone.
/// </summary>
public static class AdClickRepeatRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(AdClickFacts? facts, FraudOptions o)
    {
        if (facts is null) return null;
        var tiers = new List<string>();
        if (facts.SameCampaignLastDay > o.AdClicksPerCampaignPerDay) tiers.Add($"more than {o.AdClicksPerCampaignPerDay} per campaign per day");
        if (facts.LastHours > o.AdClicksAcrossCampaigns) tiers.Add($"more than {o.AdClicksAcrossCampaigns} across campaigns in {o.AdClicksAcrossCampaignsHours} h");
        if (facts.LastDay > o.AdClicksPerDay) tiers.Add($"more than {o.AdClicksPerDay} in 24 h");
        return tiers.Count == 0 ? null : new FraudSignal("ad_click_repeat", Severity.High, Weight, false, new Dictionary<string, object?>
        {
            ["tiers"] = tiers, ["same_campaign_last_24h"] = facts.SameCampaignLastDay,
            [$"last_{o.AdClicksAcrossCampaignsHours}h"] = facts.LastHours, ["last_24h"] = facts.LastDay,
        });
    }
}
