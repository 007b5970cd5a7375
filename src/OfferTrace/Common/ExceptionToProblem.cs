using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OfferTrace.Common;

/// <summary>
/// Turns request-level failures that escape a handler into problem responses: Kestrel's own (body too large,
/// malformed request or body) keep their status; anything else is a bug and answers 500 without details.
/// </summary>
public sealed class ExceptionToProblem(IProblemDetailsService problems, ILogger<ExceptionToProblem> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413 ? "Body too large" : "Bad request", bad.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", ""),
            // Kestrel reports some malformed bodies (a chunk size past 2^31) as an I/O error of the body stream; no handler
            // does file I/O of its own, so an IOException here comes from reading the request.
            IOException io => (400, "Bad request", $"The request body could not be read: {io.Message}"),
            _ => (500, "Internal error", "An unexpected error occurred."),
        };
        if (status == 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
