namespace OfferTrace.Catalog;

public sealed record Publisher(
    string PublisherId, string Name, decimal CommissionPercent, decimal UserRewardPercent, long PointsPerCurrencyUnit,
    string? PostbackUrl, string? PostbackSecret, string Status, long CreatedAt, long UpdatedAt)
{
    /// <summary><c>get</c>: the classic GET of <see cref="PostbackUrl"/> with macros; <c>webhook</c>: a signed JSON POST to it.</summary>
    public string PostbackMode { get; init; } = PostbackModes.Get;

    /// <summary>The secret before the last rotation, still signing webhooks until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecret { get; init; }

    public long? PreviousSecretUntil { get; init; }
}

public static class PostbackModes
{
    public const string Get = "get";
    public const string Webhook = "webhook";
}

public sealed record Placement(string PlacementId, string PublisherId, string Name, string Kind, long CreatedAt, long UpdatedAt);

public sealed record Network(
    string NetworkId, string Name, string AuthScheme, string? PostbackToken, string? PostbackSecret, string? HashAlgorithm,
    IReadOnlyList<string> HashFields, string HashSeparator, IReadOnlyList<string> AllowedIps,
    IReadOnlyDictionary<string, string> ParamMap, IReadOnlyDictionary<string, string> StatusMap, long CreatedAt, long UpdatedAt);

public sealed record Offer(
    string OfferId, string Name, string? Category, string NetworkId, string? Advertiser, decimal Payout, string Currency, string Url,
    IReadOnlyList<string> Countries, IReadOnlyList<string> DeviceTypes, long? DailyCap, decimal? UserRewardPercent,
    decimal? CommissionPercent, int HoldDays, string Status, long CreatedAt, long UpdatedAt)
{
    public bool IsActive => Status == CatalogStatus.Active;

    /// <summary>Clicks, conversions and payout per day, month and lifetime (<c>daily_cap</c> folded in).</summary>
    public Caps.OfferCaps Caps { get; init; } = OfferTrace.Caps.OfferCaps.None;
}

/// <summary>A site that embeds the ad-click tracker: who may post its events, and what its conversions are worth in Google Ads.</summary>
public sealed record Site(
    string SiteId, string Name, IReadOnlyList<string> AllowedOrigins, string Currency, string TimeZone,
    IReadOnlyDictionary<string, SiteConversion> Conversions, string Status, long CreatedAt, long UpdatedAt)
{
    public bool IsActive => Status == CatalogStatus.Active;

    public bool AllowsOrigin(string origin) => AllowedOrigins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The Google Ads conversion action an event type reports to, and its default value.</summary>
public sealed record SiteConversion(string Name, decimal? Value);

public static class CatalogStatus
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Deleted = "deleted";
}

public static class AuthSchemes
{
    public const string Token = "token";
    public const string HmacBody = "hmac_body";
    public const string HmacSortedQuery = "hmac_sorted_query";
    public const string HashConcat = "hash_concat";
    public const string HmacUrl = "hmac_url";

    public static readonly string[] All = [Token, HmacBody, HmacSortedQuery, HashConcat, HmacUrl];
}
