namespace OfferTrace.Tracking;

/// <summary>What later events need to know about a stored session.</summary>
public sealed record SessionInfo(
    string SessionId, long CreatedAt, string UserId, string PublisherId, string PlacementId, string? SubId, string? DeviceType,
    string? Os, string? Browser, string? DeviceId, string? UserAgentHash, string Ip, string? CountryCode, bool IsProxy, bool IsVpn,
    bool IsTor, bool IsDatacenter, Fraud.SessionFacts Facts);

public sealed record ImpressionInfo(string ImpressionId, long CreatedAt, string SessionId, string OfferId);

public sealed record ClickInfo(
    string ClickId, long CreatedAt, string SessionId, long SessionCreatedAt, string UserId, string PublisherId, string PlacementId,
    string? SubId, string OfferId, string NetworkId, string? DeviceType, string? CountryCode, string Ip, string FraudStatus, int FraudScore);

/// <summary>Where an event comes from: the live request, or an import line replaying its own time, IP and user agent.</summary>
public sealed record TrackingContext(
    DateTimeOffset Now, System.Net.IPAddress Ip, string? UserAgent, string? AcceptLanguage, PendingEvents? Pending,
    Enrichment.UserAgents.ClientHints? Hints = null)
{
    /// <summary>Import lines may bring their own ids so later lines can refer to them.</summary>
    public bool AllowClientIds => Pending is not null;

    public long NowMs => Now.ToUnixTimeMilliseconds();
}

/// <summary>
/// Events an import has queued but not yet seen committed, so later lines can refer to them.
/// Cleared whenever the import waits for its queued events, which keeps it bounded.
/// </summary>
public sealed class PendingEvents
{
    public Dictionary<string, SessionInfo> Sessions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ImpressionInfo> Impressions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ClickInfo> Clicks { get; } = new(StringComparer.Ordinal);

    public void Clear()
    {
        Sessions.Clear();
        Impressions.Clear();
        Clicks.Clear();
    }
}
