using OfferTrace.Common;

namespace OfferTrace.Admin;

/// <summary>Bearer-key authentication for the admin group; publisher keys only read, and only their own data.</summary>
public sealed class AdminAuthFilter(ApiKeyStore keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthorized("Send the API key as 'Authorization: Bearer <key>'.");
        }
        var caller = await keys.AuthenticateAsync(header[7..].Trim(), http.RequestAborted);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Problems.Unauthorized("The API key is unknown or revoked.");
        }
        var publisherReadable = http.GetEndpoint()?.Metadata.GetMetadata<PublisherReadable>() is not null;
        if (!caller.IsAdmin && !(publisherReadable && HttpMethods.IsGet(http.Request.Method)))
            return Problems.Forbidden($"The key's scope '{caller.Scope}' does not allow this route.");
        http.Items[typeof(Caller)] = caller;
        return await next(context);
    }
}

/// <summary>Marks a route that publisher-scoped keys may read (restricted to their own rows).</summary>
public sealed class PublisherReadable;
