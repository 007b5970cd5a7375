using Microsoft.Extensions.Options;
using OfferTrace.Fraud.Rules;

namespace OfferTrace.Fraud;

/// <summary>Runs the rules for each kind of event and turns the fired signals into a verdict.</summary>
public sealed class FraudEngine(IOptions<FraudOptions> options)
{
    private readonly FraudOptions _o = options.Value;

    public FraudVerdict JudgeSession(SessionFacts s, DateTimeOffset at) => Verdict(
    [
        BlocklistedRule.Check(s.Blocked),
        .. VisitorSignals(s, at),
        SharedDeviceRule.Check(s.Device?.UserRankOnDevice, _o.SharedDeviceUsers, _o.SharedDeviceDays),
        ManyDevicesPerUserRule.Check(s.Device?.DevicesOfUser, _o.UserDevicesMax, _o.SharedDeviceDays),
    ]);

    /// <summary>What a visitor's browser and address say wherever it shows up: automation, network, location, hardware.</summary>
    private static IEnumerable<FraudSignal?> VisitorSignals(SessionFacts v, DateTimeOffset at) =>
    [
        WebdriverRule.Check(v.IsWebdriver),
        AutomationUserAgentRule.Check(v.UserAgentIsAutomation, v.UserAgentIsBot, v.UserAgent),
        DatacenterIpRule.Check(v.Network),
        TorExitRule.Check(v.Network),
        VpnRule.Check(v.Network),
        ProxyRule.Check(v.Network),
        VpnCountryRule.Check(v.Network),
        TimezoneMismatchRule.Check(v.Network, v.Claims, at),
        LanguageCountryMismatchRule.Check(v.Network, v.Claims),
        ImpossibleScreenRule.Check(v.Claims),
        LowCoreDesktopRule.Check(v.Claims),
    ];

    /// <summary>A click is judged by its own timing and movement, the network it came from and the device's proven lies.</summary>
    public FraudVerdict JudgeClick(ClickFacts c) => Verdict(
        BlocklistedRule.Check(c.Blocked),
        WebdriverRule.Check(c.Session.IsWebdriver),
        AutomationUserAgentRule.Check(c.Session.UserAgentIsAutomation, c.Session.UserAgentIsBot, c.Session.UserAgent),
        DatacenterIpRule.Check(c.Session.Network),
        TorExitRule.Check(c.Session.Network),
        VpnRule.Check(c.Session.Network),
        ProxyRule.Check(c.Session.Network),
        ImpossibleScreenRule.Check(c.Session.Claims),
        LowCoreDesktopRule.Check(c.Session.Claims),
        FastClickRule.Check(c.TimeToClickMs, c.FromImpression, _o.FastClickMilliseconds),
        ClickVelocityRule.Check(c.ClickVelocity, _o.MaxClickVelocity),
        NoMouseMovementRule.Check(c.MouseMovementPx, c.HumanScore, c.Session.IsTouchDevice),
        c.History is { } h ? DuplicateClickRule.Check(h.PreviousSameUserOfferAt, h.AtMs, _o.DuplicateClickHours * 3_600_000L) : null,
        c.History is { } f && c.Session.Network.IsPublicIp ? ClickFloodRule.Check(f.ClicksFromIpLastMinute, _o.ClickFloodPerMinute) : null,
        c.History is { } r && c.Session.Network.IsPublicIp
            ? MachineRegularTimingRule.Check(r.RecentIpIntervalsMs, _o.RegularTimingIntervals, _o.RegularTimingMaxVariation)
            : null);

    public FraudVerdict JudgeConversion(ConversionFacts c) => Verdict(
        BlocklistedRule.Check(c.Blocked),
        FastConversionRule.Check(c.TimeToConvertSeconds, _o.FastConversionSeconds),
        DuplicateConversionRule.Check(c.ClickAlreadyConverted, c.UserAlreadyConvertedOffer),
        InheritedClickFraudRule.Check(c.ClickFraudStatus, c.ClickFraudScore, _o.SuspiciousThreshold));

    /// <summary>A click event from the ad-click tracker: the visitor's network and device, its lies, its behaviour, its address's paid clicks.</summary>
    public FraudVerdict JudgeClickEvent(ClickEventFacts e, DateTimeOffset at)
    {
        var v = e.Visitor;
        return Verdict(
        [
            BlocklistedRule.Check(e.Blocked),
            HoneypotRule.Check(e.IsTrapHit, e.ElementId),
            .. VisitorSignals(v, at),
            HardwareLieRule.Check(e.Hardware),
            BrowserLieRule.Check(e.Probe, v.Claims.HardwareConcurrency, e.Hardware.DeviceMemory, e.AcceptLanguage, e.Hardware.Os),
            TimeOnPageRule.Check(e.TimeOnPageMs, _o.ShortTimeOnPageMilliseconds),
            NoMouseMovementRule.Check(null, e.HumanScore, v.IsTouchDevice),
            AdClickRepeatRule.Check(e.AdClicks, _o),
        ]);
    }

    /// <summary>Signals that all say "not where the address is": honest VPN users show several at once.</summary>
    private static readonly HashSet<string> LocationSignals = ["vpn", "proxy", "vpn_country", "timezone_mismatch", "language_country_mismatch"];

    private FraudVerdict Verdict(params IEnumerable<FraudSignal?> fired)
    {
        var signals = fired.OfType<FraudSignal>().Select(Weighted).ToList();
        if (signals.Count == 0) return FraudVerdict.Clean;
        var decisive = signals.Any(s => s.Decisive);
        // Together capped; a single location signal configured heavier than the cap keeps its own weight.
        var located = signals.Where(s => LocationSignals.Contains(s.Type)).ToList();
        var location = located.Count == 0 ? 0 : Math.Min(Math.Max(_o.LocationSignalsCap, located.Max(s => s.Weight)), located.Sum(s => s.Weight));
        var score = decisive ? 100 : Math.Min(100, location + signals.Where(s => !LocationSignals.Contains(s.Type)).Sum(s => s.Weight));
        var status = decisive || score >= _o.FraudThreshold ? FraudStatus.Fraud
            : score >= _o.SuspiciousThreshold ? FraudStatus.Suspicious
            : FraudStatus.Clean;
        return new FraudVerdict(score, status, signals);
    }

    /// <summary>The configured weight of the signal's type, when one is set (its severity follows).</summary>
    private FraudSignal Weighted(FraudSignal signal) =>
        _o.Weights.Count > 0 && _o.Weights.TryGetValue(signal.Type, out var weight) && weight != signal.Weight
            ? signal with { Weight = weight, Severity = Severity.Of(weight) }
            : signal;
}

/// <summary>What the rules know about a session.</summary>
public sealed record SessionFacts(string? UserAgent, bool UserAgentIsBot, bool UserAgentIsAutomation, bool IsWebdriver, bool IsTouchDevice)
{
    public NetworkFacts Network { get; init; } = NetworkFacts.Unknown;
    public DeviceClaims Claims { get; init; } = DeviceClaims.None;

    /// <summary>The blocklist entry that matched when the session was created.</summary>
    public Blocklist.BlocklistEntry? Blocked { get; init; }

    /// <summary>This user's place among the device's users and the user's device count in the window; null without a device id.</summary>
    public History.DeviceFacts? Device { get; init; }
}

public sealed record ClickFacts(
    SessionFacts Session, long? TimeToClickMs, bool FromImpression, double? MouseMovementPx, double? ClickVelocity, int? HumanScore,
    Blocklist.BlocklistEntry? Blocked = null, History.ClickHistoryFacts? History = null);

public sealed record ClickEventFacts(
    SessionFacts Visitor, bool IsTrapHit, string? ElementId, long? TimeOnPageMs, int? HumanScore, Rules.HardwareClaims Hardware,
    Rules.BrowserProbe Probe, string? AcceptLanguage, Blocklist.BlocklistEntry? Blocked, History.AdClickFacts? AdClicks);

public sealed record ConversionFacts(
    double TimeToConvertSeconds, bool ClickAlreadyConverted, bool UserAlreadyConvertedOffer, string ClickFraudStatus, int ClickFraudScore,
    Blocklist.BlocklistEntry? Blocked = null);
