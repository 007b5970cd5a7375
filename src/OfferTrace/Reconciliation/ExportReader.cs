using System.Text;
using System.Text.Json;
using OfferTrace.Catalog;
using OfferTrace.ClickEvents;
using OfferTrace.Common;

namespace OfferTrace.Reconciliation;

/// <summary>
/// Reads a network's export: CSV with a header row (one record a line), or JSON (an array of objects, or
/// <c>{"conversions": [...]}</c>). Column and member names match case-insensitively; <c>amount</c> and
/// <c>network_payout</c> are aliases of <c>payout</c>. A body that is not an export at all is a 400; a bad row is reported
/// as an invalid row and the others are still compared.
/// </summary>
public static class ExportReader
{
    private static readonly string[] PayoutNames = ["payout", "network_payout", "amount"];

    public static (TheirExport? Export, IResult? Problem) Read(ReadOnlyMemory<byte> body, bool json, Network network)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span)) return (null, Problems.Validation("body", "The body is not valid UTF-8."));
        if (body.Span.IndexOf((byte)0) >= 0) return (null, Problems.Validation("body", "The body contains the NUL character."));
        var span = body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;
        if (Encoding.UTF8.GetString(span.Span).Trim().Length == 0)
            return (null, Problems.Validation("body", "The body is empty; send the network's conversion export."));
        return json ? ReadJson(span, network) : ReadCsv(Encoding.UTF8.GetString(span.Span), network);
    }

    private static (TheirExport?, IResult?) ReadCsv(string text, Network network)
    {
        var rows = new ExportRows(network);
        using var reader = new StringReader(text);
        Dictionary<string, int>? columns = null;
        var line = 0;
        while (reader.ReadLine() is { } record)
        {
            line++;
            if (string.IsNullOrWhiteSpace(record)) continue;
            var cells = CampaignCosts.SplitCsvLine(record);
            if (columns is null)
            {
                columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < cells.Count; i++) columns.TryAdd(cells[i].Trim(), i);
                if (!columns.ContainsKey("transaction_id"))
                    return (null, Problems.Validation("body", "The CSV header row names no transaction_id column."));
                continue;
            }
            string? Cell(string? name) => name is not null && columns.TryGetValue(name, out var i) && i < cells.Count ? cells[i] : null;
            rows.Add(line, Cell("transaction_id"), Cell(PayoutNames.FirstOrDefault(columns.ContainsKey)), Cell("currency"), Cell("status"));
        }
        return (rows.ToExport(), null);
    }

    private static (TheirExport?, IResult?) ReadJson(ReadOnlyMemory<byte> utf8, Network network)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation("body", $"Malformed JSON: {e.Message}"));
        }
        if (JsonBody.UnstorableTextProblem(utf8.Span) is { } unstorable)
        {
            document.Dispose();
            return (null, unstorable);
        }
        using (document)
        {
            var root = document.RootElement;
            var list = root.ValueKind == JsonValueKind.Object && Member(root, "conversions") is { ValueKind: JsonValueKind.Array } inner ? inner : root;
            if (list.ValueKind != JsonValueKind.Array)
                return (null, Problems.Validation("body", "The body must be a JSON array of conversions, or {\"conversions\": [...]}."));

            var rows = new ExportRows(network);
            var position = 0;
            foreach (var item in list.EnumerateArray())
            {
                position++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    rows.Invalid(position, "not a JSON object");
                    continue;
                }
                var payoutName = PayoutNames.FirstOrDefault(n => Member(item, n) is not null);
                string? bad = null;
                string? Field(string? name)
                {
                    if (name is null || Member(item, name) is not { } v || v.ValueKind == JsonValueKind.Null) return null;
                    if (v.ValueKind == JsonValueKind.String) return v.GetString();
                    if (v.ValueKind == JsonValueKind.Number) return v.GetRawText();
                    bad ??= $"{name} must be a string or a number";
                    return null;
                }
                var (transactionId, payout, currency, status) = (Field("transaction_id"), Field(payoutName), Field("currency"), Field("status"));
                if (bad is not null) rows.Invalid(position, bad);
                else rows.Add(position, transactionId, payout, currency, status);
            }
            return (rows.ToExport(), null);
        }
    }

    /// <summary>The first member whose name matches case-insensitively.</summary>
    private static JsonElement? Member(JsonElement obj, string name)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }
}
