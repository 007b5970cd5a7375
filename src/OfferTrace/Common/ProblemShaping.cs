using Microsoft.AspNetCore.Http.Features;

namespace OfferTrace.Common;

/// <summary>Fills in what framework-made problems leave out, so every 4xx names its cause.</summary>
public static class ProblemShaping
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status415UnsupportedMediaType => $"Content-Type '{request.ContentType}' is not accepted by {request.Method} {request.Path}.",
            StatusCodes.Status404NotFound => $"No route {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
            StatusCodes.Status413PayloadTooLarge => $"The body exceeds {JsonBody.MaxBytes} bytes.",
            _ => null,
        };
        if (context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity is null)
            problem.Extensions.TryAdd("trace_id", context.HttpContext.TraceIdentifier);
    }
}
