namespace OfferTrace.Common;

/// <summary>Whether this process runs the background jobs that act on their own: postback delivery and hold releases.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>False for the replay command (it must only read) or a node meant only to take traffic.</summary>
    public bool Run { get; set; } = true;
}
