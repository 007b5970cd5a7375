using System.Text.Json;
using Microsoft.Extensions.Options;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Enrichment.UserAgents;
using OfferTrace.Fraud;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Fraud.History;
using OfferTrace.Fraud.Rules;
using OfferTrace.Storage;
using OfferTrace.Tracking;

namespace OfferTrace.ClickEvents;

/// <summary>Validates a click event, derives the server's facts (address, network, location, device), judges it and hands it to the writer.</summary>
public sealed class ClickEventService(CatalogCache catalog, UserAgentParser userAgents, IpEnricher ips, Datasets datasets, Blocklist blocklist,
    FraudHistory history, FraudEngine fraud, IOptions<FraudOptions> fraudOptions, IngestWriter writer)
{
    private readonly FraudOptions _o = fraudOptions.Value;

    public async Task<Outcome<ClickEventRecord>> RecordAsync(JsonElement body, TrackingContext context, string? origin, CancellationToken ct)
    {
        var r = new FieldReader(body, new FieldErrors());
        var input = ClickEventInput.Read(r);
        if (input is null) return Outcome<ClickEventRecord>.Invalid(r.Errors);
        return await RecordAsync(input, context, origin, ct);
    }

    public async Task<Outcome<ClickEventRecord>> RecordAsync(ClickEventInput input, TrackingContext context, string? origin, CancellationToken ct)
    {
        if (!catalog.Current.Sites.TryGetValue(input.SiteId, out var site))
            return Outcome<ClickEventRecord>.Unprocessable($"Unknown site_id '{input.SiteId}'.", "site_id");
        // Browsers always name the page's origin on a cross-site POST; a site accepts events only from its own pages.
        if (origin is not null && !site.AllowsOrigin(origin))
            return Outcome<ClickEventRecord>.Fail(StatusCodes.Status403Forbidden, $"Origin '{origin}' is not among site '{site.SiteId}''s allowed_origins.");
        if (!site.IsActive && !context.AllowClientIds)
            return Outcome<ClickEventRecord>.Fail(StatusCodes.Status409Conflict, $"Site '{site.SiteId}' is {site.Status}.");

        var ua = userAgents.Parse(context.UserAgent, context.Hints);
        var deviceType = ua.DeviceType;
        // iPadOS Safari sends a desktop Mac user agent; touch points give it away.
        if (ua.Os == "MacOS" && input.TouchPoints > 0 && !ua.IsBot) deviceType = "tablet";
        var (network, geo) = ips.Enrich(context.Ip);
        var isTrap = input.EventType == ClickEventInput.BotTrap;
        var visitor = new SessionFacts(context.UserAgent, ua.IsBot, ua.IsAutomation, input.IsWebdriver == true,
            input.TouchPoints > 0 || deviceType is "mobile" or "tablet")
        {
            Network = new NetworkFacts(network.IsDatacenter, network.IsTor, network.IsVpn, network.IsProxy, geo.IsVpnCountry, network.Asn,
                network.Organization, geo.CountryCode, geo.Timezone, datasets.Countries.Find(geo.CountryCode)?.Languages ?? [])
            {
                IsPublicIp = IpEnricher.IsPublic(context.Ip),
            },
            Claims = new DeviceClaims(deviceType, input.BrowserTz, input.ScreenRes, input.HardwareConcurrency, AcceptLanguage.First(context.AcceptLanguage)),
        };
        var adClicks = input.AdClickId is { } clickId && !isTrap && visitor.Network.IsPublicIp
            ? history.AdClicks.Record(network.Ip, clickId, input.Campaign, context.NowMs)
            : null;
        var verdict = fraud.JudgeClickEvent(new ClickEventFacts(visitor, isTrap, input.ElementId, input.TimeOnPageMs, input.HumanScore,
            new HardwareClaims(ua.Os, ua.Browser, deviceType, input.DeviceMemory, input.ScreenRes), input.Probe, context.AcceptLanguage,
            blocklist.Find(network.Ip, input.Fingerprint, context.NowMs), adClicks), context.Now);

        var (hour, day) = LocalTime(input, geo.Timezone, context.Now);
        var record = new ClickEventRecord(Ids.New(Ids.ClickEvent, context.Now), context.NowMs, input, network.Ip, context.UserAgent,
            SourceOf(input), hour, day, Location(geo), network, geo, deviceType, ua.Os, ua.Browser,
            input.Value is null ? null : input.Currency ?? site.Currency, verdict,
            isTrap ? HoneypotBlock(network.Ip, visitor.Network.IsPublicIp, context.NowMs) : null);
        return await Ingest.SubmitAsync(writer, new ClickEventItem(record, blocklist), context, ct, StatusCodes.Status201Created);
    }

    /// <summary>A honeypot hit blocks its public address for a while; private addresses may hide a whole office.</summary>
    private BlocklistEntry? HoneypotBlock(string ip, bool isPublic, long nowMs) =>
        isPublic && _o.HoneypotBlockHours > 0
            ? new BlocklistEntry(Ids.New(Ids.BlocklistEntry, Timestamps.FromMs(nowMs)), BlocklistEntry.Ip, ip, "honeypot hit", "honeypot", nowMs,
                nowMs + _o.HoneypotBlockHours * 3_600_000L)
            : null;

    /// <summary>The visitor's local hour and weekday: as the browser measured them, else at the browser's or the address's time zone.</summary>
    private static (int? Hour, int? Day) LocalTime(ClickEventInput input, string? ipTimezone, DateTimeOffset now)
    {
        if (input.LocalHour is not null && input.LocalDay is not null) return (input.LocalHour, input.LocalDay);
        var zoneId = input.BrowserTz ?? ipTimezone;
        if (zoneId is null || !IanaZones.TryFind(zoneId, out var zone)) return (input.LocalHour, input.LocalDay);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        return (input.LocalHour ?? local.Hour, input.LocalDay ?? (int)local.DayOfWeek);
    }

    /// <summary><c>utm_source</c> when the page had one; otherwise google for a Google click id, else the referrer's site, else direct.</summary>
    private static string SourceOf(ClickEventInput input)
    {
        if (!string.IsNullOrWhiteSpace(input.Source)) return input.Source.Trim().ToLowerInvariant();
        if (input.AdClickId is not null) return "google";
        var referrer = ReferrerClassifier.Classify(input.ReferrerUrl, input.Medium, false);
        if (referrer.Domain is null) return "direct";
        var labels = referrer.Domain.Split('.');
        return labels.Length >= 2 ? labels[^2] is "co" or "com" && labels.Length >= 3 ? labels[^3] : labels[^2] : referrer.Domain;
    }

    private static string? Location(GeoInfo geo)
    {
        var parts = new[] { geo.City, geo.Region, geo.CountryCode }.Where(p => !string.IsNullOrEmpty(p)).Distinct().ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
