using System.ComponentModel.DataAnnotations;
using OfferTrace.Common;

namespace OfferTrace.Ledger;

public sealed class MoneyOptions : IValidatableObject
{
    public const string Section = "Money";

    /// <summary>Analytics totals and points are in this currency.</summary>
    public string BaseCurrency { get; set; } = "USD";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Currencies.IsKnown(BaseCurrency))
            yield return new ValidationResult($"Money:BaseCurrency '{BaseCurrency}' is not an ISO 4217 currency code.", [nameof(BaseCurrency)]);
    }
}
