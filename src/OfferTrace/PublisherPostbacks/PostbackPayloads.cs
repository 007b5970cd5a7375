using OfferTrace.Common;
using OfferTrace.Ledger;

namespace OfferTrace.PublisherPostbacks;

/// <summary>The macro values of a conversion's postback: points, and the user reward and publisher commission in the base currency.</summary>
public static class PostbackPayloads
{
    public static PostbackPayload Of(StoredConversion c, string offerName, int status) => new(
        c.UserId, c.Points, Money.FromUnits(c.UserRewardBase), Money.FromUnits(c.PublisherCommissionBase), c.BaseCurrency, c.TransactionId,
        c.ConversionId, c.OfferId, offerName, c.SubId, status, c.Ip, Debug: false);
}
