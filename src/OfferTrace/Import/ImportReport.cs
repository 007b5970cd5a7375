namespace OfferTrace.Import;

public sealed record ImportReport(long Lines, long Accepted, long Rejected, IReadOnlyList<ImportError> Errors, bool ErrorsTruncated);

public sealed record ImportError(long Line, string? Kind, int Status, string Reason);
