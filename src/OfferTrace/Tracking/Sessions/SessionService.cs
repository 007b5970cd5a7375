using System.Text.Json;
using OfferTrace.Catalog;
using OfferTrace.Common;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Enrichment.UserAgents;
using OfferTrace.Fraud;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Fraud.History;
using OfferTrace.Storage;

namespace OfferTrace.Tracking.Sessions;

/// <summary>Validates, enriches and judges a new session, then hands it to the writer.</summary>
public sealed class SessionService(CatalogCache catalog, UserAgentParser userAgents, IpEnricher ips, Datasets datasets, Blocklist blocklist, FraudHistory history, FraudEngine fraud,
    TrackingLookup lookup, IngestWriter writer)
{
    public async Task<Outcome<SessionRecord>> CreateAsync(JsonElement body, TrackingContext context, CancellationToken ct)
    {
        var r = new FieldReader(body, new FieldErrors());
        var sessionId = context.AllowClientIds ? r.Id("session_id") : null;
        var userId = r.String("user_id", required: true, maxLength: 128);
        var publisherId = r.Id("publisher_id", required: true);
        var placementId = r.Id("placement_id", required: true);
        var subId = r.String("sub_id", maxLength: 256);
        var claimed = ReadDevice(r.Object("device"));
        var fingerprint = r.Object("fingerprint");
        var canvas = fingerprint?.String("canvas", maxLength: 256);
        var webgl = fingerprint?.String("webgl", maxLength: 256);
        var fonts = fingerprint?.String("fonts", maxLength: 256);
        var plugins = fingerprint?.String("plugins", maxLength: 256);
        var referrerUrl = r.String("referrer_url", maxLength: 4096);
        var utmReader = r.Object("utm");
        var utm = new UtmInfo(utmReader?.String("source", maxLength: 256), utmReader?.String("medium", maxLength: 256),
            utmReader?.String("campaign", maxLength: 256), utmReader?.String("term", maxLength: 256), utmReader?.String("content", maxLength: 256));
        var gclid = r.String("gclid", maxLength: 512);
        if (r.Errors.Any) return Outcome<SessionRecord>.Invalid(r.Errors);

        var snapshot = catalog.Current;
        if (!snapshot.Publishers.ContainsKey(publisherId!)) return Outcome<SessionRecord>.Unprocessable($"Unknown publisher_id '{publisherId}'.", "publisher_id");
        if (!snapshot.Placements.TryGetValue(placementId!, out var placement))
            return Outcome<SessionRecord>.Unprocessable($"Unknown placement_id '{placementId}'.", "placement_id");
        if (placement.PublisherId != publisherId)
            return Outcome<SessionRecord>.Unprocessable($"Placement '{placementId}' belongs to another publisher.", "placement_id");

        var ua = userAgents.Parse(context.UserAgent, context.Hints);
        var touchPoints = claimed?.TouchPoints;
        var deviceType = ua.DeviceType ?? claimed?.Type;
        // iPadOS Safari sends a desktop Mac user agent; touch points give it away.
        if (ua.Os == "MacOS" && touchPoints > 0 && !ua.IsBot) deviceType = "tablet";
        var device = new DeviceInfo(deviceType, ua.DeviceBrand, ua.DeviceModel ?? claimed?.Model, ua.Os ?? claimed?.Os,
            ua.OsVersion ?? claimed?.OsVersion, ua.Browser ?? claimed?.Browser, ua.BrowserVersion ?? claimed?.BrowserVersion,
            claimed?.ScreenResolution, claimed?.ScreenDpi, claimed?.Timezone, claimed?.Language ?? AcceptLanguage.First(context.AcceptLanguage),
            claimed?.DeviceMemory, claimed?.HardwareConcurrency, claimed?.ConnectionType, claimed?.IsWebdriver, touchPoints);
        var deviceId = canvas is null && webgl is null && fonts is null && plugins is null
            ? null
            : Hashing.Sha256Hex(string.Join('|', canvas, webgl, fonts, plugins, device.ScreenResolution, device.Timezone, device.HardwareConcurrency,
                device.DeviceMemory?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (network, geo) = ips.Enrich(context.Ip);
        var referrer = ReferrerClassifier.Classify(referrerUrl, utm.Medium, gclid is not null);
        var facts = new SessionFacts(context.UserAgent, ua.IsBot, ua.IsAutomation, claimed?.IsWebdriver == true,
            touchPoints > 0 || deviceType is "mobile" or "tablet")
        {
            Network = new NetworkFacts(network.IsDatacenter, network.IsTor, network.IsVpn, network.IsProxy, geo.IsVpnCountry, network.Asn,
                network.Organization, geo.CountryCode, geo.Timezone, datasets.Countries.Find(geo.CountryCode)?.Languages ?? [])
            {
                IsPublicIp = IpEnricher.IsPublic(context.Ip),
            },
            Claims = new DeviceClaims(deviceType, claimed?.Timezone, claimed?.ScreenResolution, claimed?.HardwareConcurrency,
                claimed?.Language ?? AcceptLanguage.First(context.AcceptLanguage)),
            Blocked = blocklist.Find(network.Ip, deviceId, context.NowMs),
            Device = deviceId is null ? null : history.Devices.Record(deviceId, userId!, context.NowMs),
        };
        var verdict = fraud.JudgeSession(facts, context.Now);

        var session = new SessionRecord(sessionId ?? Ids.New(Ids.Session, context.Now), context.NowMs, userId!, publisherId!, placementId!, subId,
            device, new FingerprintInfo(context.UserAgent, context.UserAgent is null ? null : Hashing.Sha256Hex(context.UserAgent), deviceId,
                canvas, webgl, fonts, plugins),
            network, geo, referrer, utm, gclid, verdict, facts);
        return await Ingest.SubmitAsync(writer, new SessionItem(session, lookup), context, ct, StatusCodes.Status201Created,
            pending => pending.Sessions[session.SessionId] = session.ToInfo());
    }

    private static DeviceInfo? ReadDevice(FieldReader? d) => d is null
        ? null
        : new DeviceInfo(d.String("type", maxLength: 32), null, d.String("model", maxLength: 128), d.String("os", maxLength: 64),
            d.String("os_version", maxLength: 64), d.String("browser", maxLength: 64), d.String("browser_version", maxLength: 64),
            d.String("screen_resolution", maxLength: 32), d.Int("screen_dpi", min: 0, max: 10_000), d.String("timezone", maxLength: 64),
            d.String("language", maxLength: 64), d.Double("device_memory", min: 0, max: 1024), d.Int("hardware_concurrency", min: 0, max: 1024),
            d.String("connection_type", maxLength: 32), d.Bool("is_webdriver"), d.Int("touch_points", min: 0, max: 256));
}
