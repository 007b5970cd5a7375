namespace OfferTrace.Fraud.Rules;

/// <summary>What the tracker read in the page and again inside a Web Worker, where spoofing extensions rarely reach.</summary>
public sealed record BrowserProbe(
    string? Platform, IReadOnlyList<string>? Languages, string? WebglRenderer, string? OuterWindow, IReadOnlyList<string> AutomationGlobals,
    WorkerProbe? Worker)
{
    public static readonly BrowserProbe None = new(null, null, null, null, [], null);
}

public sealed record WorkerProbe(string? Platform, int? HardwareConcurrency, double? DeviceMemory, IReadOnlyList<string>? Languages, string? WebglRenderer);

/// <summary>
/// Values a real browser cannot show: the page and its Web Worker disagreeing (platform, cores, memory, languages,
/// WebGL renderer), automation globals (<c>callPhantom</c>, <c>__nightmare</c>, <c>cdc_…</c>), a software renderer
/// used by headless set-ups (SwiftShader, llvmpipe, Mesa off-screen), a <c>0x0</c> outer window, an empty language
/// list, <c>Accept-Language</c> not among the browser's languages, and <c>navigator.platform</c> of another OS than
/// the user agent's. Suspicious alone; one signal names every lie.
/// </summary>
public static class BrowserLieRule
{
    public const int Weight = 45;
    private static readonly string[] SoftwareRenderers = ["SwiftShader", "llvmpipe", "Mesa OffScreen", "softpipe"];

    public static FraudSignal? Check(BrowserProbe p, int? hardwareConcurrency, double? deviceMemory, string? acceptLanguage, string? userAgentOs)
    {
        var lies = new Dictionary<string, object?>();
        if (p.Worker is { } w)
        {
            var differing = new List<string>();
            if (Differ(p.Platform, w.Platform)) differing.Add("platform");
            if (hardwareConcurrency is { } pc && w.HardwareConcurrency is { } wc && pc != wc) differing.Add("hardware_concurrency");
            if (deviceMemory is { } pm && w.DeviceMemory is { } wm && pm != wm) differing.Add("device_memory");
            if (p.Languages is { } pl && w.Languages is { } wl && !pl.SequenceEqual(wl, StringComparer.OrdinalIgnoreCase)) differing.Add("languages");
            if (Differ(p.WebglRenderer, w.WebglRenderer)) differing.Add("webgl_renderer");
            if (differing.Count > 0) lies["worker_mismatch"] = differing;
        }
        if (p.AutomationGlobals.Count > 0) lies["automation_globals"] = p.AutomationGlobals;
        if (p.WebglRenderer is { } renderer && SoftwareRenderers.FirstOrDefault(s => renderer.Contains(s, StringComparison.OrdinalIgnoreCase)) is { } software)
            lies["software_renderer"] = software;
        if (ScreenSize.TryParse(p.OuterWindow, out var outer) && (outer.Width == 0 || outer.Height == 0)) lies["zero_outer_window"] = p.OuterWindow;
        if (p.Languages is { Count: 0 }) lies["empty_languages"] = true;
        if (p.Languages is { Count: > 0 } languages && Enrichment.AcceptLanguage.First(acceptLanguage) is { } first
            && !languages.Any(l => Enrichment.AcceptLanguage.BaseOf(l) == Enrichment.AcceptLanguage.BaseOf(first))) lies["accept_language_mismatch"] = new { accept_language = acceptLanguage, languages };
        if (PlatformContradicts(p.Platform, userAgentOs)) lies["platform_mismatch"] = new { platform = p.Platform, user_agent_os = userAgentOs };
        return lies.Count == 0 ? null : new FraudSignal("browser_lie", Severity.High, Weight, false, lies);
    }

    private static bool Differ(string? a, string? b) => a is not null && b is not null && !string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>
    /// Only plain contradictions: <c>navigator.platform</c> is <c>Win32</c> on every Windows, <c>MacIntel</c> on every Mac
    /// (and on iPads asking for desktop sites), <c>iPhone</c>/<c>iPad</c> on iOS, <c>Linux …</c> on Linux and Android.
    /// </summary>
    private static bool PlatformContradicts(string? platform, string? os)
    {
        if (string.IsNullOrEmpty(platform) || os is null) return false;
        bool Is(string prefix) => platform.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        return os switch
        {
            "Windows" => !Is("Win"),
            "Mac OS X" or "MacOS" => !Is("Mac"),
            "iOS" => !(Is("iPhone") || Is("iPad") || Is("iPod") || Is("Mac")),
            "Android" => !(Is("Linux") || Is("Android")),
            "Linux" or "Ubuntu" or "Fedora" => !Is("Linux"),
            _ => false,
        };
    }
}
