using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace OfferTrace.Common;

/// <summary>
/// Writes RFC 4180 CSV. Numbers are written as plain invariant numbers; text cells that a spreadsheet would run as a
/// formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) get a leading <c>'</c>, unless
/// the file is for a machine that needs the text exact (<paramref name="guardFormulas"/> false, e.g. Google Ads imports).
/// Rows are encoded into the response's pipe without flushing (Kestrel allows no synchronous writes to a response), so
/// a report's rows, already read into memory, are sent by <see cref="FlushAsync"/>.
/// </summary>
public sealed class CsvWriter(PipeWriter writer, bool guardFormulas = true)
{
    public const string ContentType = "text/csv; charset=utf-8";

    public void Line(string raw) => Write(raw + "\r\n");

    public void Row(params object?[] cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) line.Append(',');
            line.Append(Cell(cells[i]));
        }
        Write(line.Append("\r\n").ToString());
    }

    public async Task FlushAsync() => await writer.FlushAsync();

    private void Write(string text) => Encoding.UTF8.GetBytes(text, writer);

    private string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable<string> list => string.Join("; ", list),
            _ => value.ToString() ?? "",
        };
        if (guardFormulas && value is string or IEnumerable<string> && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}

/// <summary>An <see cref="IResult"/> that streams a CSV body as a download.</summary>
public sealed class CsvResult(string fileName, Func<CsvWriter, Task> write, bool guardFormulas = true) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = CsvWriter.ContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var csv = new CsvWriter(http.Response.BodyWriter, guardFormulas);
        await write(csv);
        await csv.FlushAsync();
    }
}
