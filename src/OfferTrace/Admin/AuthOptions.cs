namespace OfferTrace.Admin;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The bootstrap admin key. When unset, one is generated on first start, stored hashed and printed once.</summary>
    public string? AdminKey { get; set; }
}
