using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using OfferTrace.Common;
using OfferTrace.Storage;
using OfferTrace.Tracking;

namespace OfferTrace.Import;

/// <summary>
/// <c>POST /api/admin/import</c>: NDJSON streamed line by line with constant memory. Lines are queued to the writer
/// in windows; each window is awaited before the next, which bounds memory and lets later lines see earlier ones.
/// </summary>
public static class ImportApi
{
    private const int Window = 1024;
    private const int MaxLineBytes = JsonBody.MaxBytes;
    private const int MaxReportedErrors = 1000;

    public static void MapImport(this RouteGroupBuilder admin) =>
        admin.MapPost("/import", HandleAsync).Accepts<string>("application/x-ndjson").Produces<ImportReport>();

    private static async Task<IResult> HandleAsync(HttpContext http, ImportLineProcessor processor, IngestWriter writer, ILoggerFactory logs,
        CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) ||
            !(media.MediaType.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase) ||
              media.MediaType.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase)))
            return Problems.UnsupportedMediaType($"Content-Type '{http.Request.ContentType}' is not accepted here; send application/x-ndjson.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;

        var state = new ImportState(writer, logs.CreateLogger(typeof(ImportApi).FullName!));
        var reader = http.Request.BodyReader;
        var skippingLongLine = false;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            while (TryTakeLine(ref buffer, out var line))
            {
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    continue;
                }
                if (line.Length > MaxLineBytes) state.TooLongLine($"The line exceeds {MaxLineBytes} bytes.");
                else await state.LineAsync(line, processor, ct);
            }
            if (buffer.Length > MaxLineBytes && !skippingLongLine)
            {
                state.TooLongLine($"The line exceeds {MaxLineBytes} bytes.");
                skippingLongLine = true;
            }
            if (skippingLongLine) buffer = buffer.Slice(buffer.End);
            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty && !skippingLongLine) await state.LineAsync(buffer, processor, ct);
                reader.AdvanceTo(buffer.End);
                break;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
        await state.DrainAsync();
        return TypedResults.Ok(state.Report());
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private sealed class ImportState(IngestWriter writer, ILogger logger)
    {
        private readonly PendingEvents _pending = new();
        private readonly List<(long Line, string? Kind, Task Completion)> _queued = new(Window);
        private readonly List<ImportError> _errors = [];
        private long _lines, _accepted, _rejected;

        public async Task LineAsync(ReadOnlySequence<byte> line, ImportLineProcessor processor, CancellationToken ct)
        {
            var bytes = line.IsSingleSegment ? line.First : line.ToArray();
            if (bytes.Span.Trim((byte)'\r').Trim((byte)' ').IsEmpty) return;
            _lines++;
            string? kind;
            Outcome<object> outcome;
            Task? completion;
            try
            {
                (kind, outcome, completion) = await processor.ProcessAsync(bytes, _pending, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug in one line must not lose the report of the lines before it, which are stored already.
                logger.LogError(e, "Import line {Line} failed", _lines);
                Reject(null, StatusCodes.Status500InternalServerError, "The line could not be processed (an internal error, logged); it may not have been stored.");
                return;
            }
            if (!outcome.IsSuccess) Reject(kind, outcome.Status, outcome.Reason ?? "rejected");
            else if (completion is null) _accepted++;
            else
            {
                _queued.Add((_lines, kind, completion));
                if (_queued.Count >= Window) await DrainAsync();
            }
        }

        /// <summary>A line too long to read is counted and refused; the rest of it is skipped.</summary>
        public void TooLongLine(string reason)
        {
            _lines++;
            Reject(null, StatusCodes.Status413PayloadTooLarge, reason);
        }

        private void Reject(string? kind, int status, string reason)
        {
            _rejected++;
            if (_errors.Count < MaxReportedErrors) _errors.Add(new ImportError(_lines, kind, status, reason));
        }

        /// <summary>Waits for every queued line's commit, then forgets them: they are now found in storage.</summary>
        public async Task DrainAsync()
        {
            foreach (var (line, kind, completion) in _queued)
            {
                try
                {
                    await completion;
                    _accepted++;
                }
                catch (Exception e)
                {
                    var (status, reason) = writer.IsConflict(e)
                        ? (409, "An event with this id already exists.")
                        : (503, "Storage failed to write this line.");
                    _rejected++;
                    if (_errors.Count < MaxReportedErrors) _errors.Add(new ImportError(line, kind, status, reason));
                }
            }
            _queued.Clear();
            _pending.Clear();
        }

        public ImportReport Report() =>
            new(_lines, _accepted, _rejected, _errors.OrderBy(e => e.Line).ToList(), _rejected > _errors.Count);
    }
}
