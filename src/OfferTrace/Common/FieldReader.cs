using System.Globalization;
using System.Text.Json;

namespace OfferTrace.Common;

/// <summary>
/// Reads fields of a JSON object and collects an error for every bad one, named by its path
/// (<c>device.screen_dpi</c>), so a 400 answer can list them all at once.
/// Numbers may also arrive as numeric strings (query-string postbacks, lenient networks).
/// </summary>
public sealed class FieldReader(JsonElement obj, FieldErrors errors, string prefix = "")
{
    public FieldErrors Errors => errors;

    public bool Has(string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string name, bool required = false, int maxLength = 2048)
    {
        if (!TryGet(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) return Fail<string>(name, "must be a string");
        var s = v.GetString()!;
        if (s.Length > maxLength) return Fail<string>(name, $"must be at most {maxLength} characters");
        if (required && s.Length == 0) return Fail<string>(name, "is required");
        return s;
    }

    /// <summary>An id: 1–64 letters, digits, '_' or '-'.</summary>
    public string? Id(string name, bool required = false)
    {
        var s = String(name, required, 64);
        if (s is not null && !Ids.IsValidExternal(s)) return Fail<string>(name, "must be 1–64 letters, digits, '_' or '-'");
        return s;
    }

    public int? Int(string name, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var d = Number(name, required);
        if (d is null) return null;
        if (d != Math.Floor(d.Value)) return FailValue<int>(name, "must be a whole number");
        if (d < min || d > max) return FailValue<int>(name, $"must be between {min} and {max}");
        return (int)d.Value;
    }

    public double? Double(string name, bool required = false, double min = double.MinValue, double max = double.MaxValue)
    {
        var d = Number(name, required);
        if (d is null) return null;
        if (d < (decimal)Math.Max(min, (double)decimal.MinValue) || d > (decimal)Math.Min(max, (double)decimal.MaxValue))
            return FailValue<double>(name, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return (double)d.Value;
    }

    /// <summary>A money amount: a number with at most four decimal places, 0 or more.</summary>
    public decimal? Amount(string name, bool required = false)
    {
        var d = Number(name, required);
        if (d is null) return null;
        if (d < 0) return FailValue<decimal>(name, "must not be negative");
        if (d > Money.MaxAmount) return FailValue<decimal>(name, $"must be at most {Money.MaxAmount.ToString(CultureInfo.InvariantCulture)}");
        if (!Money.HasAtMostFourDecimals(d.Value)) return FailValue<decimal>(name, "must have at most 4 decimal places");
        return d;
    }

    /// <summary>Any decimal number (rates, percentages with more precision than money).</summary>
    public decimal? Decimal(string name, bool required = false) => Number(name, required);

    public bool? Bool(string name, bool required = false)
    {
        if (!TryGet(name, required, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => FailValue<bool>(name, "must be true or false"),
        };
    }

    /// <summary>An ISO-8601 date-time; without an offset it is taken as UTC.</summary>
    public DateTimeOffset? Time(string name, bool required = false)
    {
        var s = String(name, required, 64);
        if (s is null) return null;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t;
        return FailValue<DateTimeOffset>(name, "must be an ISO-8601 date-time");
    }

    public FieldReader? Object(string name)
    {
        if (!TryGet(name, false, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) return Fail<FieldReader>(name, "must be an object");
        return new FieldReader(v, errors, prefix + name + ".");
    }

    public JsonElement? Element(string name, JsonValueKind kind)
    {
        if (!TryGet(name, false, out var v)) return null;
        if (v.ValueKind != kind) return FailValue<JsonElement>(name, $"must be {(kind == JsonValueKind.Array ? "an array" : "an object")}");
        return v;
    }

    public void Add(string name, string message) => errors.Add(prefix + name, message);

    private decimal? Number(string name, bool required)
    {
        if (!TryGet(name, required, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d)) return d;
        if (v.ValueKind == JsonValueKind.String &&
            decimal.TryParse(v.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out d)) return d;
        return FailValue<decimal>(name, "must be a number");
    }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) errors.Add(prefix + name, "is required");
        return false;
    }

    private T? Fail<T>(string name, string message) where T : class
    {
        errors.Add(prefix + name, message);
        return null;
    }

    private T? FailValue<T>(string name, string message) where T : struct
    {
        errors.Add(prefix + name, message);
        return null;
    }
}

public sealed class FieldErrors
{
    private Dictionary<string, List<string>>? _errors;

    public bool Any => _errors is { Count: > 0 };

    public void Add(string field, string message)
    {
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors?.ToDictionary(e => e.Key, e => e.Value.ToArray()) ?? [];

    /// <summary>"field: message; field: message" — for import rejection reasons.</summary>
    public override string ToString() =>
        _errors is null ? "" : string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
