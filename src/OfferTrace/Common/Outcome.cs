namespace OfferTrace.Common;

/// <summary>
/// The result of a tracking operation, independent of HTTP: a value, or a failure with its status and reason
/// (the HTTP routes answer it as problem+json, the import reports the reason per line).
/// </summary>
public sealed class Outcome<T>
{
    private Outcome(T? value, int status, string? reason, FieldErrors? errors, string? field)
    {
        Value = value;
        Status = status;
        Reason = reason;
        Errors = errors;
        Field = field;
    }

    public T? Value { get; }
    public int Status { get; }
    public string? Reason { get; }
    public FieldErrors? Errors { get; }
    public string? Field { get; }
    public bool IsSuccess => Status < 300;

    /// <summary>For an import line that was only queued: completes with the value after its commit.</summary>
    public Task<T>? Completion { get; private set; }

    public Outcome<T> WithCompletion(Task<T> completion)
    {
        Completion = completion;
        return this;
    }

    public static Outcome<T> Ok(T value, int status = StatusCodes.Status200OK) => new(value, status, null, null, null);

    public static Outcome<T> Invalid(FieldErrors errors) => new(default, 400, errors.ToString(), errors, null);

    public static Outcome<T> Unprocessable(string reason, string? field = null) => new(default, 422, reason, null, field);

    public static Outcome<T> Fail(int status, string reason) => new(default, status, reason, null, null);

    public static Outcome<T> Unavailable(string reason) => new(default, 503, reason, null, null);

    /// <summary>Carries a failure over to another value type.</summary>
    public Outcome<TOther> As<TOther>() => new(default, Status, Reason, Errors, Field);

    public IResult ToProblem(int retryAfterSeconds) => Status switch
    {
        400 => Problems.Validation(Errors?.ToDictionary() ?? new Dictionary<string, string[]> { ["body"] = [Reason ?? "invalid"] }),
        422 => Problems.Unprocessable(Reason!, Field),
        503 => new ServiceUnavailableResult(retryAfterSeconds, Reason!),
        var s => Problems.Problem(s, ReasonPhrases(s), Reason!),
    };

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
