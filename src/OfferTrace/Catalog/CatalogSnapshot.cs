using System.Collections.Frozen;

namespace OfferTrace.Catalog;

/// <summary>An immutable view of the catalogue, swapped whole after every change.</summary>
public sealed class CatalogSnapshot(IEnumerable<Publisher> publishers, IEnumerable<Placement> placements,
    IEnumerable<Network> networks, IEnumerable<Offer> offers)
{
    public static readonly CatalogSnapshot Empty = new([], [], [], []);

    public FrozenDictionary<string, Publisher> Publishers { get; } = publishers.ToFrozenDictionary(p => p.PublisherId, StringComparer.Ordinal);
    public FrozenDictionary<string, Placement> Placements { get; } = placements.ToFrozenDictionary(p => p.PlacementId, StringComparer.Ordinal);
    public FrozenDictionary<string, Network> Networks { get; } = networks.ToFrozenDictionary(n => n.NetworkId, StringComparer.Ordinal);
    public FrozenDictionary<string, Offer> Offers { get; } = offers.ToFrozenDictionary(o => o.OfferId, StringComparer.Ordinal);
}
