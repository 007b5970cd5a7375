using System.Globalization;
using System.Text.Json;

namespace OfferTrace.Common;

/// <summary>Typed reads from a Dapper row that work the same on SQLite (integers, text) and PostgreSQL.</summary>
public readonly struct DbRow(IDictionary<string, object?> row)
{
    public static DbRow From(object dapperRow) => new((IDictionary<string, object?>)dapperRow);

    public string Str(string column) => (string)row[column]!;

    public string? StrOrNull(string column) => row[column] is string s ? s : null;

    public long Long(string column) => Convert.ToInt64(row[column], CultureInfo.InvariantCulture);

    public long? LongOrNull(string column) => row[column] is null or DBNull ? null : Long(column);

    public int Int(string column) => Convert.ToInt32(row[column], CultureInfo.InvariantCulture);

    public int? IntOrNull(string column) => row[column] is null or DBNull ? null : Int(column);

    public double? DoubleOrNull(string column) => row[column] is null or DBNull ? null : Convert.ToDouble(row[column], CultureInfo.InvariantCulture);

    public bool Bool(string column) => Convert.ToBoolean(row[column], CultureInfo.InvariantCulture);

    public bool? BoolOrNull(string column) => row[column] is null or DBNull ? null : Bool(column);

    /// <summary>A decimal kept as invariant text.</summary>
    public decimal Dec(string column) => decimal.Parse(Str(column), CultureInfo.InvariantCulture);

    public decimal? DecOrNull(string column) => StrOrNull(column) is { } s ? decimal.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>Money stored as 1/10,000 units.</summary>
    public decimal Money(string column) => Common.Money.FromUnits(Long(column));

    public T Json<T>(string column) => JsonSerializer.Deserialize<T>(Str(column))!;
}
