using System.Globalization;
using System.Text;
using Dapper;
using OfferTrace.Common;
using OfferTrace.Storage;

namespace OfferTrace.ClickEvents;

/// <summary>
/// <c>POST /api/admin/campaign-costs</c>: a CSV of <c>date,campaign,cost,currency</c> lines (a header line is allowed), as
/// an ad platform's cost report exports them. A day and campaign already known is replaced. Good lines are kept even
/// when others are rejected; the answer names every rejected line and why.
/// </summary>
public sealed class CampaignCosts(Database database, TimeProvider time)
{
    public const int MaxLines = 100_000;

    public async Task<CostImportReport> ImportAsync(TextReader csv, CancellationToken ct)
    {
        var rejected = new List<CostImportRejection>();
        var rows = new Dictionary<(string Date, string Campaign), (long Cost, string Currency)>();
        var lineNumber = 0;
        while (await csv.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (lineNumber > MaxLines)
            {
                rejected.Add(new CostImportRejection(lineNumber, $"more than {MaxLines} lines; the rest was not read"));
                break;
            }
            if (line.Contains('\0'))
            {
                rejected.Add(new CostImportRejection(lineNumber, "the line contains the NUL character"));
                continue;
            }
            var cells = SplitCsvLine(line);
            if (lineNumber == 1 && cells.Count > 0 && cells[0].Trim().Equals("date", StringComparison.OrdinalIgnoreCase)) continue;
            if (Parse(cells) is { } error) rejected.Add(new CostImportRejection(lineNumber, error));
            else rows[(cells[0].Trim(), cells[1].Trim())] = (Money.ToUnits(decimal.Parse(cells[2].Trim(), CultureInfo.InvariantCulture)), cells[3].Trim().ToUpperInvariant());
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var c = await database.OpenAsync(ct))
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            // In key order, so two uploads of overlapping days take their row locks in the same order.
            foreach (var ((date, campaign), (cost, currency)) in rows.OrderBy(r => r.Key.Date, StringComparer.Ordinal)
                         .ThenBy(r => r.Key.Campaign, StringComparer.Ordinal))
            {
                await c.ExecuteAsync(
                    "INSERT INTO campaign_costs (cost_date, campaign, cost, currency, updated_at) VALUES (@date, @campaign, @cost, @currency, @now) " +
                    "ON CONFLICT (cost_date, campaign) DO UPDATE SET cost = excluded.cost, currency = excluded.currency, updated_at = excluded.updated_at",
                    new { date, campaign, cost, currency, now }, tx);
            }
            await tx.CommitAsync(ct);
        }
        return new CostImportReport(rows.Count, rejected.Count, rejected.Take(1000).ToList());
    }

    private static string? Parse(List<string> cells)
    {
        if (cells.Count != 4) return $"expected 4 cells (date,campaign,cost,currency), found {cells.Count}";
        if (!DateOnly.TryParseExact(cells[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return "date must be yyyy-MM-dd";
        var campaign = cells[1].Trim();
        if (campaign.Length is 0 or > 256) return "campaign must be 1 to 256 characters";
        if (!decimal.TryParse(cells[2].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cost) || cost > Money.MaxAmount
            || !Money.HasAtMostFourDecimals(cost)) return "cost must be a non-negative amount with at most 4 decimal places";
        if (!Currencies.IsKnown(cells[3].Trim().ToUpperInvariant())) return $"'{cells[3].Trim()}' is not an ISO 4217 currency code";
        return null;
    }

    /// <summary>One RFC 4180 line: cells separated by commas, quoted cells may hold commas and doubled quotes.</summary>
    public static List<string> SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}

public sealed record CostImportReport(int Accepted, int Rejected, IReadOnlyList<CostImportRejection> Rejections);

public sealed record CostImportRejection(int Line, string Reason);
