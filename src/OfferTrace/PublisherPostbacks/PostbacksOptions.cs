using System.ComponentModel.DataAnnotations;

namespace OfferTrace.PublisherPostbacks;

/// <summary>Delivery of postbacks to publishers: timeouts, the retry schedule, the pause after repeated failures.</summary>
public sealed class PostbacksOptions : IValidatableObject
{
    public const string Section = "Postbacks";

    /// <summary>Lets postbacks reach private, loopback and link-local addresses (on-premise set-ups, tests). Off: no SSRF.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long one attempt may take, connection included.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxRetrySeconds"/>.</summary>
    public int FirstRetrySeconds { get; set; } = 30;

    public int MaxRetrySeconds { get; set; } = 3600;

    /// <summary>How long a delivery is retried before it is marked failed (at least 24 h).</summary>
    public int RetryHours { get; set; } = 48;

    /// <summary>Failed attempts in a row after which a publisher's postbacks are paused until an admin resumes them.</summary>
    public int PauseAfterFailures { get; set; } = 25;

    /// <summary>How often the dispatcher looks for due deliveries besides being woken by new ones.</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>Deliveries sent at once.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>How long webhooks are also signed with the secret before a rotation.</summary>
    public int SecretGraceHours { get; set; } = 24;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TimeoutSeconds is < 1 or > 120) yield return Bad(nameof(TimeoutSeconds), "between 1 and 120");
        if (FirstRetrySeconds < 1) yield return Bad(nameof(FirstRetrySeconds), "at least 1");
        if (MaxRetrySeconds < FirstRetrySeconds) yield return Bad(nameof(MaxRetrySeconds), "at least Postbacks:FirstRetrySeconds");
        if (RetryHours < 24) yield return Bad(nameof(RetryHours), "at least 24");
        if (PauseAfterFailures < 1) yield return Bad(nameof(PauseAfterFailures), "at least 1");
        if (PollSeconds is < 1 or > 3600) yield return Bad(nameof(PollSeconds), "between 1 and 3600");
        if (Concurrency is < 1 or > 256) yield return Bad(nameof(Concurrency), "between 1 and 256");
        if (SecretGraceHours < 0) yield return Bad(nameof(SecretGraceHours), "0 or more");
    }

    private static ValidationResult Bad(string key, string rule) => new($"Postbacks:{key} must be {rule}.", [key]);

    /// <summary>The wait after the given number of failed attempts: doubling from the first, capped.</summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        var seconds = FirstRetrySeconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetrySeconds));
    }
}
