using System.Globalization;
using System.Text.Json;
using Dapper;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Fraud;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Ledger;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Storage;
using OfferTrace.Tracking;

namespace OfferTrace.Postbacks;

/// <summary>Turns an authenticated network callback into a conversion: split, points, fraud, status, idempotent write.</summary>
public sealed class ConversionService(CatalogCache catalog, TrackingLookup lookup, FraudEngine fraud, Blocklist blocklist, ExchangeRates rates, Database database,
    IngestWriter writer, PostbackOutbox outbox)
{
    /// <summary>The longest transaction id a network may send.</summary>
    public const int MaxTransactionIdLength = 256;

    private static readonly string[] Statuses = [ConversionStatus.Approved, ConversionStatus.Pending, ConversionStatus.Rejected];

    public async Task<Outcome<ConversionWrite>> RecordAsync(JsonElement body, Network network, TrackingContext context, CancellationToken ct,
        RawCallback? callback = null)
    {
        var r = new FieldReader(body, new FieldErrors());
        var conversionId = context.AllowClientIds ? r.Id("conversion_id") : null;
        var clickId = r.Id("click_id", required: true);
        var transactionId = r.String("transaction_id", required: true, maxLength: MaxTransactionIdLength);
        var payoutField = r.Has("network_payout") ? "network_payout" : "payout";
        var payout = r.Amount(payoutField);
        var currency = r.String("currency", maxLength: 8);
        if (currency is not null && !Currencies.IsKnown(currency)) r.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
        var offerId = r.Id("offer_id");
        var networkStatus = r.String("status", maxLength: 64);
        var status = MapStatus(networkStatus, network);
        if (status is null) r.Add("status", $"'{networkStatus}' is not a known status (approved, pending, rejected) and the network's status_map has no entry for it");
        var data = r.Element("postback_data", JsonValueKind.Object);
        if (r.Errors.Any) return Outcome<ConversionWrite>.Invalid(r.Errors);

        // A known transaction: a retry changes nothing; a new status (approval, rejection, chargeback) moves its money.
        if (await StoredConversion.FindByTransactionAsync(database, network.NetworkId, transactionId!, ct) is { } stored)
            return await ChangeStatusAsync(stored, status!, context, callback, ct);
        if (status == ConversionStatus.Reversed)
            return Outcome<ConversionWrite>.Unprocessable($"No conversion with transaction_id '{transactionId}' to reverse.", "transaction_id");

        var click = await lookup.ClickAsync(clickId!, context.Pending, ct);
        if (click is null) return Outcome<ConversionWrite>.Unprocessable($"Unknown click_id '{clickId}'.", "click_id");
        if (click.NetworkId != network.NetworkId)
            return Outcome<ConversionWrite>.Unprocessable($"Click '{clickId}' is of an offer of another network.", "click_id");
        if (offerId is not null && offerId != click.OfferId)
            return Outcome<ConversionWrite>.Unprocessable($"offer_id '{offerId}' is not the offer of click '{clickId}'.", "offer_id");
        var snapshot = catalog.Current;
        if (!snapshot.Offers.TryGetValue(click.OfferId, out var offer) || !snapshot.Publishers.TryGetValue(click.PublisherId, out var publisher))
            return Outcome<ConversionWrite>.Unprocessable($"The offer or publisher of click '{clickId}' no longer exists.", "click_id");

        currency ??= offer.Currency;
        var amount = payout ?? offer.Payout;
        var rate = rates.RateOn(currency, context.Now);
        if (rate is null) return Outcome<ConversionWrite>.Unprocessable($"No exchange rate from {currency} to {rates.BaseCurrency}.", "currency");
        // A rate stored before rates were bounded: refused rather than overflowing the conversion's arithmetic.
        if (rate > ExchangeRates.MaxRate)
            return Outcome<ConversionWrite>.Unprocessable($"The exchange rate from {currency} to {rates.BaseCurrency} is past the largest accepted; set a new one.", "currency");

        var split = PayoutSplit.Of(amount, currency, offer.UserRewardPercent ?? publisher.UserRewardPercent,
            offer.CommissionPercent ?? publisher.CommissionPercent);
        var baseSplit = split.ToBase(rate.Value, rates.BaseCurrency);
        if (baseSplit.NetworkPayout > Money.MaxAmount)
            return Outcome<ConversionWrite>.Unprocessable(
                string.Create(CultureInfo.InvariantCulture,
                    $"A payout of {amount} {currency} is {baseSplit.NetworkPayout} {rates.BaseCurrency}, more than the {Money.MaxAmount} a conversion may carry."),
                "payout");
        var points = PayoutSplit.Points(baseSplit.UserReward, publisher.PointsPerCurrencyUnit);

        var (clickConverted, userConverted) = await lookup.PriorConversionsAsync(click, ct);
        var timeToConvert = Math.Max(0, context.NowMs - click.CreatedAt) / 1000.0;
        var verdict = fraud.JudgeConversion(new ConversionFacts(timeToConvert, clickConverted, userConverted, click.FraudStatus, click.FraudScore,
            blocklist.Find(click.Ip, null, context.NowMs)));
        var (finalStatus, reason) = await DecideStatusAsync(status!, verdict, offer, context, ct);

        var record = new ConversionRecord(conversionId ?? Ids.New(Ids.Conversion, context.Now), context.NowMs, network.NetworkId, transactionId!,
            click, offer.Category, offer.Advertiser, timeToConvert, Math.Max(0, context.NowMs - click.SessionCreatedAt) / 1000.0, split, rate.Value,
            baseSplit, points, finalStatus, reason, networkStatus, data?.GetRawText(), verdict)
        {
            // Imported history was credited by the publisher long ago (migrations, backfills): no postback for it.
            Callback = callback, Publisher = context.AllowClientIds ? null : publisher, OfferName = offer.Name, Offer = offer,
            HoldUntil = reason == "hold_period" ? context.NowMs + offer.HoldDays * 86_400_000L : null,
        };
        var outcome = await Ingest.SubmitAsync(writer, new ConversionItem(record, outbox), context, ct, StatusCodes.Status201Created);
        if (!outcome.IsSuccess || outcome.Value is not { IsNew: false } repeat) return outcome;
        // Another callback of the transaction got in first, in the same moment: this one's status still counts (a network
        // sending pending then approved a few milliseconds apart). Its raw record is already stored, as a repeat.
        return await StoredConversion.FindAsync(database, repeat.ConversionId, ct) is { } first
            ? await ChangeStatusAsync(first, status!, context, null, ct)
            : Outcome<ConversionWrite>.Ok(repeat, StatusCodes.Status200OK);
    }

    /// <summary>
    /// What a network's later word does to a stored conversion: <c>reversed</c> (a chargeback) or <c>rejected</c> takes
    /// back a credit; <c>approved</c> releases a conversion the network itself had left pending (not one held for
    /// suspicion or by the offer's hold period). Anything else is a retry: 200 and no change.
    /// </summary>
    private async Task<Outcome<ConversionWrite>> ChangeStatusAsync(StoredConversion stored, string requested, TrackingContext context,
        RawCallback? callback, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (string Status, string Reason)? change = requested switch
            {
                ConversionStatus.Reversed when stored.IsCredited => (ConversionStatus.Reversed, "chargeback"),
                ConversionStatus.Rejected when stored.IsCredited => (ConversionStatus.Rejected, "network_rejected"),
                ConversionStatus.Approved when stored is { Status: ConversionStatus.Pending, StatusReason: "network_pending" } =>
                    (ConversionStatus.Approved, "network_approved"),
                _ => null,
            };
            var unchanged = new ConversionWrite(null, false, stored.ConversionId);
            if (change is null)
            {
                if (callback is not null)
                {
                    var item = new RawCallbackItem(callback, CallbackOutcome.Duplicate, 200, null, stored.TransactionId, stored.ConversionId);
                    var noted = await Ingest.SubmitAsync(writer, item, context, ct, StatusCodes.Status200OK);
                    if (!noted.IsSuccess) return noted.As<ConversionWrite>();
                }
                return Outcome<ConversionWrite>.Ok(unchanged, StatusCodes.Status200OK);
            }

            var snapshot = catalog.Current;
            var transition = new ConversionTransitionItem(stored, change.Value.Status, change.Value.Reason, outbox,
                context.AllowClientIds ? null : snapshot.Publishers.GetValueOrDefault(stored.PublisherId),
                snapshot.Offers.GetValueOrDefault(stored.OfferId)?.Name ?? stored.OfferId,
                context.NowMs, callback);
            var outcome = await Ingest.SubmitAsync(writer, transition, context, ct, StatusCodes.Status200OK);
            if (!outcome.IsSuccess) return outcome.As<ConversionWrite>();
            if (context.Pending is not null || outcome.Value) return Outcome<ConversionWrite>.Ok(unchanged, outcome.Status);
            // Another change got there first: decide again on what is stored now.
            stored = (await StoredConversion.FindAsync(database, stored.ConversionId, ct))!;
        }
        return Outcome<ConversionWrite>.Fail(StatusCodes.Status409Conflict, "The conversion kept changing; retry.");
    }

    /// <summary>Fraud is not credited; suspicious, network-pending or held conversions wait as pending. (Caps are taken in the writer.)</summary>
    private async Task<(string Status, string? Reason)> DecideStatusAsync(string networkStatus, FraudVerdict verdict, Offer offer,
        TrackingContext context, CancellationToken ct)
    {
        if (verdict.Status == FraudStatus.Fraud) return (ConversionStatus.Fraud, "fraud");
        if (networkStatus == ConversionStatus.Rejected) return (ConversionStatus.Rejected, "network_rejected");
        if (verdict.Status == FraudStatus.Suspicious) return (ConversionStatus.Pending, "suspicious");
        if (networkStatus == ConversionStatus.Pending) return (ConversionStatus.Pending, "network_pending");
        if (offer.HoldDays > 0) return (ConversionStatus.Pending, "hold_period");
        return (ConversionStatus.Approved, null);
    }

    private static string? MapStatus(string? networkStatus, Network network)
    {
        if (networkStatus is null) return ConversionStatus.Approved;
        if (network.StatusMap.TryGetValue(networkStatus, out var mapped)) return mapped;
        var lower = networkStatus.ToLowerInvariant();
        return Statuses.Contains(lower) || lower == ConversionStatus.Reversed ? lower : null;
    }

    /// <summary>The stored answer for a transaction already recorded (a retried postback).</summary>
    public async Task<ConversionView?> FindAsync(string conversionId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync("SELECT * FROM offerwall_conversions_detailed WHERE conversion_id = @conversionId", new { conversionId });
        if (row is null) return null;
        var r = DbRow.From(row);
        var signals = (await c.QueryAsync("SELECT type, severity, weight, details FROM offerwall_fraud_signals WHERE entity_id = @conversionId ORDER BY signal_id",
                new { conversionId }))
            .Select(DbRow.From)
            .Select(s => new FraudSignalView(s.Str("type"), s.Str("severity"), s.Int("weight"), JsonDocument.Parse(s.Str("details")).RootElement))
            .ToList();
        var currency = r.Str("currency");
        return new ConversionView(r.Str("conversion_id"), r.Str("status"),
            new PayoutView(MinorUnits(r.Long("network_payout"), currency), MinorUnits(r.Long("user_reward"), currency),
                MinorUnits(r.Long("publisher_commission"), currency), MinorUnits(r.Long("platform_revenue"), currency), currency),
            r.Long("points"), new FraudView(r.Int("fraud_score"), r.Str("fraud_status"), signals));
    }

    internal static decimal MinorUnits(long units, string currency) => MoneyFormat.ToMinor(Money.FromUnits(units), currency);
}
