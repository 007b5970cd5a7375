using OfferTrace.Common;
using OfferTrace.Enrichment.Ip;

namespace OfferTrace.Fraud.Blocklist;

/// <summary>
/// <c>/api/admin/blocklist</c>: list, add (<c>kind</c> <c>ip</c> with an address or CIDR range, or <c>device</c> with a
/// device id; optional <c>reason</c> and <c>expires_at</c>) and remove entries. Blocked traffic is still recorded, and
/// judged fraud (decisive), so it is never credited.
/// </summary>
public static class BlocklistApi
{
    public static void MapBlocklist(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/blocklist");
        group.MapGet("/", (Blocklist blocklist) =>
            TypedResults.Ok(new Page<BlocklistEntryView>(blocklist.Entries.Select(BlocklistEntryView.Of).ToList(), null)));
        group.MapPost("/", async (HttpRequest request, Blocklist blocklist, TimeProvider time, CancellationToken ct) =>
        {
            var (document, problem) = await JsonBody.ReadAsync(request, allowTextPlain: false, ct);
            if (problem is not null) return problem;
            using (document)
            {
                var r = new FieldReader(document!.RootElement, new FieldErrors());
                var kind = r.String("kind", required: true, maxLength: 16);
                var value = r.String("value", required: true, maxLength: 256)?.Trim();
                var reason = r.String("reason", maxLength: 1024);
                var expiresAt = r.Time("expires_at");
                if (kind is not null && kind is not (BlocklistEntry.Ip or BlocklistEntry.Device)) r.Add("kind", "must be 'ip' or 'device'");
                if (kind == BlocklistEntry.Ip && value is not null && !IpKey.TryParseRange(value, out _, out _))
                    r.Add("value", "must be an IP address or a CIDR range");
                if (expiresAt is { } e && e <= time.GetUtcNow()) r.Add("expires_at", "must be in the future");
                if (r.Errors.Any) return Problems.Validation(r.Errors.ToDictionary());
                var entry = await blocklist.AddAsync(kind!, value!, reason, "admin", expiresAt is { } at ? Timestamps.ToMs(at) : null, ct);
                return entry is null
                    ? Problems.Conflict($"{kind} '{value}' is already on the blocklist.")
                    : TypedResults.Created($"/api/admin/blocklist/{entry.EntryId}", BlocklistEntryView.Of(entry));
            }
        });
        group.MapDelete("/{entryId}", async (string entryId, Blocklist blocklist, CancellationToken ct) =>
            await blocklist.RemoveAsync(entryId, ct) ? Results.NoContent() : Problems.NotFound($"No blocklist entry '{entryId}'."));
    }
}

public sealed record BlocklistEntryView(string EntryId, string Kind, string Value, string? Reason, string Source, string CreatedAt, string? ExpiresAt)
{
    public static BlocklistEntryView Of(BlocklistEntry e) => new(e.EntryId, e.Kind, e.Value, e.Reason, e.Source, Timestamps.Format(e.CreatedAt),
        e.ExpiresAt is { } x ? Timestamps.Format(x) : null);
}
