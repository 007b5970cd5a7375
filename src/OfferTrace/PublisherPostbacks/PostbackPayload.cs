using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace OfferTrace.PublisherPostbacks;

/// <summary>
/// The values a publisher postback carries (PRODUCT.md §5): stored with the delivery, rendered into the publisher's URL
/// or webhook body at each attempt, so that a corrected URL applies to deliveries still waiting.
/// </summary>
public sealed record PostbackPayload(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("points")] long Points,
    [property: JsonPropertyName("reward")] decimal Reward,
    [property: JsonPropertyName("payout")] decimal Payout,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("transaction_id")] string TransactionId,
    [property: JsonPropertyName("conversion_id")] string ConversionId,
    [property: JsonPropertyName("offer_id")] string OfferId,
    [property: JsonPropertyName("offer_name")] string OfferName,
    [property: JsonPropertyName("sub_id")] string? SubId,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("debug")] bool Debug)
{
    public const int Credit = 1;
    public const int Reversal = 2;

    /// <summary>Lower-case hex HMAC-SHA256 with the publisher's secret over <c>transaction_id:user_id:points:status</c>.</summary>
    public string Signature(string? secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ""),
        Encoding.UTF8.GetBytes($"{TransactionId}:{UserId}:{Points.ToString(CultureInfo.InvariantCulture)}:{Status.ToString(CultureInfo.InvariantCulture)}")));

    /// <summary>The publisher's URL with every macro replaced by its URL-encoded value.</summary>
    public string Render(string template, string? secret)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["user_id"] = UserId, ["points"] = Points.ToString(CultureInfo.InvariantCulture), ["reward"] = Money(Reward), ["payout"] = Money(Payout),
            ["currency"] = Currency, ["transaction_id"] = TransactionId, ["conversion_id"] = ConversionId, ["offer_id"] = OfferId,
            ["offer_name"] = OfferName, ["sub_id"] = SubId ?? "", ["status"] = Status.ToString(CultureInfo.InvariantCulture), ["ip"] = Ip ?? "",
            ["signature"] = Signature(secret), ["debug"] = Debug ? "1" : "0",
        };
        var result = new StringBuilder(template.Length + 128);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }
            result.Append(template, i, open - i);
            var name = template.Substring(open + 1, close - open - 1);
            if (values.TryGetValue(name, out var value)) result.Append(Uri.EscapeDataString(value));
            else result.Append(template, open, close - open + 1);
            i = close + 1;
        }
        return result.ToString();
    }

    private static string Money(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);
}
