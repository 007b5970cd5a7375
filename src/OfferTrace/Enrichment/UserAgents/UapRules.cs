using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace OfferTrace.Enrichment.UserAgents;

public sealed record UapResult(
    string? Browser, string? BrowserMajor, string? BrowserMinor, string? BrowserPatch,
    string? Os, string? OsMajor, string? OsMinor, string? OsPatch,
    string? Device, string? Brand, string? Model);

/// <summary>
/// The ua-parser rule set (<c>uap-core</c>'s <c>regexes.yaml</c>, Apache-2.0): three ordered lists of regular
/// expressions with replacements, the first match of each list wins. Follows uap-core's specification
/// (<c>docs/specification.md</c>): <c>$1</c>..<c>$9</c> in replacements, empty results are null. User agents come from
/// clients, so every expression runs with a timeout and a timed-out one counts as no match.
/// </summary>
public sealed class UapRules
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Rule[] _browsers;
    private readonly Rule[] _systems;
    private readonly Rule[] _devices;

    private UapRules(Rule[] browsers, Rule[] systems, Rule[] devices, int skipped)
    {
        _browsers = browsers;
        _systems = systems;
        _devices = devices;
        Skipped = skipped;
    }

    public static UapRules Empty { get; } = new([], [], [], 0);

    public int Count => _browsers.Length + _systems.Length + _devices.Length;

    /// <summary>Expressions .NET could not compile (reported at start, left out).</summary>
    public int Skipped { get; }

    public static UapRules Load(string regexesYaml)
    {
        var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build()
            .Deserialize<RegexesFile>(File.ReadAllText(regexesYaml));
        var skipped = 0;
        Rule[] Compile(List<RuleText>? rules, Func<RuleText, string?[]> replacements) =>
            (rules ?? []).Select(r =>
            {
                try
                {
                    var options = RegexOptions.CultureInvariant | (r.RegexFlag == "i" ? RegexOptions.IgnoreCase : RegexOptions.None);
                    return new Rule(new Regex(r.Regex ?? "", options, MatchTimeout), replacements(r));
                }
                catch (ArgumentException)
                {
                    skipped++;
                    return null;
                }
            }).OfType<Rule>().ToArray();
        return new UapRules(
            Compile(file.UserAgentParsers, r => [r.FamilyReplacement, r.V1Replacement, r.V2Replacement, r.V3Replacement]),
            Compile(file.OsParsers, r => [r.OsReplacement, r.OsV1Replacement, r.OsV2Replacement, r.OsV3Replacement]),
            Compile(file.DeviceParsers, r => [r.DeviceReplacement, r.BrandReplacement, r.ModelReplacement]),
            skipped);
    }

    /// <param name="userAgent">The user agent.</param>
    /// <param name="timedOut">True when an expression ran out of time, so that a later rule may have matched in its place.</param>
    public UapResult Parse(string userAgent, out bool timedOut)
    {
        timedOut = false;
        var browser = First(_browsers, userAgent, 4, defaults: [1, 2, 3, 4], ref timedOut);
        var os = First(_systems, userAgent, 4, defaults: [1, 2, 3, 4], ref timedOut);
        // Device: family defaults to $1, brand has no default, model defaults to $1.
        var device = First(_devices, userAgent, 3, defaults: [1, 0, 1], ref timedOut);
        return new UapResult(browser[0], browser[1], browser[2], browser[3], os[0], os[1], os[2], os[3], device[0], device[1], device[2]);
    }

    private static string?[] First(Rule[] rules, string userAgent, int fields, int[] defaults, ref bool timedOut)
    {
        foreach (var rule in rules)
        {
            Match match;
            try
            {
                match = rule.Regex.Match(userAgent);
            }
            catch (RegexMatchTimeoutException)
            {
                timedOut = true;
                continue;
            }
            if (!match.Success) continue;
            var values = new string?[fields];
            for (var i = 0; i < fields; i++)
            {
                var replacement = rule.Replacements[i];
                var value = replacement is not null ? Substitute(replacement, match) : defaults[i] > 0 ? Group(match, defaults[i]) : null;
                values[i] = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            }
            return values;
        }
        return new string?[fields];
    }

    private static string? Group(Match match, int index) => index < match.Groups.Count && match.Groups[index].Success ? match.Groups[index].Value : null;

    private static string Substitute(string replacement, Match match)
    {
        if (!replacement.Contains('$')) return replacement;
        var text = new System.Text.StringBuilder(replacement.Length + 16);
        for (var i = 0; i < replacement.Length; i++)
        {
            if (replacement[i] == '$' && i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]))
            {
                text.Append(Group(match, replacement[i + 1] - '0'));
                i++;
            }
            else text.Append(replacement[i]);
        }
        return text.ToString();
    }

    private sealed record Rule(Regex Regex, string?[] Replacements);

    private sealed class RegexesFile
    {
        public List<RuleText>? UserAgentParsers { get; set; }
        public List<RuleText>? OsParsers { get; set; }
        public List<RuleText>? DeviceParsers { get; set; }
    }

    private sealed class RuleText
    {
        public string? Regex { get; set; }
        public string? RegexFlag { get; set; }
        public string? FamilyReplacement { get; set; }
        public string? V1Replacement { get; set; }
        public string? V2Replacement { get; set; }
        public string? V3Replacement { get; set; }
        public string? OsReplacement { get; set; }
        public string? OsV1Replacement { get; set; }
        public string? OsV2Replacement { get; set; }
        public string? OsV3Replacement { get; set; }
        public string? DeviceReplacement { get; set; }
        public string? BrandReplacement { get; set; }
        public string? ModelReplacement { get; set; }
    }
}
