namespace OfferTrace.Admin;

/// <summary>Who called an admin route: the full <c>admin</c> scope, or one publisher's read-only scope.</summary>
public sealed record Caller(string KeyId, string Scope)
{
    private const string PublisherPrefix = "publisher:";

    public bool IsAdmin => Scope == "admin";

    public string? PublisherId => Scope.StartsWith(PublisherPrefix, StringComparison.Ordinal) ? Scope[PublisherPrefix.Length..] : null;

    public static bool IsValidScope(string scope) =>
        scope == "admin" || (scope.StartsWith(PublisherPrefix, StringComparison.Ordinal) && Common.Ids.IsValidExternal(scope[PublisherPrefix.Length..]));

    public static Caller Of(HttpContext context) => (Caller)context.Items[typeof(Caller)]!;
}
