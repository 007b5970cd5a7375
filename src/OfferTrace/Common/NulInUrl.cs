namespace OfferTrace.Common;

/// <summary>
/// Refuses a request whose path or query string carries the NUL character (<c>%00</c>): no id, filter or postback
/// parameter holds one, and PostgreSQL refuses it in text, so it is a 400 here rather than an error deep in a query.
/// </summary>
public static class NulInUrl
{
    public static Task RejectAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (request.Path.Value?.Contains('\0') != true && request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) != true)
            return next(http);
        return Problems.Validation("url", "The path or query string contains the NUL character (%00).").ExecuteAsync(http);
    }
}
