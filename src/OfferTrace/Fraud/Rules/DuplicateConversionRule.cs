namespace OfferTrace.Fraud.Rules;

/// <summary>A click that already converted with another transaction, or the same user converting the same offer again.</summary>
public static class DuplicateConversionRule
{
    public const int Weight = 45;

    public static FraudSignal? Check(bool clickAlreadyConverted, bool userAlreadyConvertedOffer) =>
        clickAlreadyConverted || userAlreadyConvertedOffer
            ? new FraudSignal("duplicate_conversion", Severity.High, Weight, false, new Dictionary<string, object?>
            {
                ["click_already_converted"] = clickAlreadyConverted, ["user_already_converted_offer"] = userAlreadyConvertedOffer,
            })
            : null;
}
