using System.Collections.Frozen;

namespace OfferTrace.Catalog;

/// <summary>An immutable view of the catalogue, swapped whole after every change.</summary>
public sealed class CatalogSnapshot(IEnumerable<Publisher> publishers, IEnumerable<Placement> placements,
    IEnumerable<Network> networks, IEnumerable<Offer> offers, IEnumerable<Site> sites)
{
    public static readonly CatalogSnapshot Empty = new([], [], [], [], []);

    public FrozenDictionary<string, Publisher> Publishers { get; } = publishers.ToFrozenDictionary(p => p.PublisherId, StringComparer.Ordinal);
    public FrozenDictionary<string, Placement> Placements { get; } = placements.ToFrozenDictionary(p => p.PlacementId, StringComparer.Ordinal);
    public FrozenDictionary<string, Network> Networks { get; } = networks.ToFrozenDictionary(n => n.NetworkId, StringComparer.Ordinal);
    public FrozenDictionary<string, Offer> Offers { get; } = offers.ToFrozenDictionary(o => o.OfferId, StringComparer.Ordinal);
    public FrozenDictionary<string, Site> Sites { get; } = sites.ToFrozenDictionary(s => s.SiteId, StringComparer.Ordinal);

    /// <summary>Every origin some active site allows: what a CORS preflight (which names no site) may be granted.</summary>
    public FrozenSet<string> SiteOrigins => _siteOrigins ??= Sites.Values.Where(s => s.IsActive).SelectMany(s => s.AllowedOrigins)
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private FrozenSet<string>? _siteOrigins;
}
