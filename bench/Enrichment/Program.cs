using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Enrichment.Reputation;
using OfferTrace.Enrichment.UserAgents;

BenchmarkSwitcher.FromAssembly(typeof(EnrichmentBenchmarks).Assembly).Run(args);

/// <summary>
/// What enriching one event costs with warm caches: the IP look-ups (GeoIP city, ASN, reputation lists) and the
/// user-agent parse (cached per user agent, as in the server), and for comparison a user agent never seen before.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class EnrichmentBenchmarks
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static readonly IPAddress Residential = IPAddress.Parse("73.162.10.20");
    private static readonly IPAddress Ipv6 = IPAddress.Parse("2601:1c0:4500::1");
    private static readonly IPAddress Private = IPAddress.Parse("10.1.2.3");
    private IpEnricher _ips = null!;
    private UserAgentParser _userAgents = null!;
    private Datasets _datasets = null!;
    private int _fresh;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new EnrichmentOptions());
        _datasets = new Datasets(options, NullLogger<Datasets>.Instance);
        _ips = new IpEnricher(_datasets, new ReputationStore(options, NullLogger<ReputationStore>.Instance), options);
        _userAgents = new UserAgentParser(_datasets);
        _userAgents.Parse(Chrome);
    }

    [Benchmark(Description = "IP: residential IPv4 (geo + ASN + lists)")]
    public object Ipv4() => _ips.Enrich(Residential);

    [Benchmark(Description = "IP: IPv6")]
    public object V6() => _ips.Enrich(Ipv6);

    [Benchmark(Description = "IP: private address (no look-up)")]
    public object PrivateAddress() => _ips.Enrich(Private);

    [Benchmark(Description = "User agent, cached")]
    public object UserAgentCached() => _userAgents.Parse(Chrome);

    [Benchmark(Baseline = true, Description = "Session enrichment: IPv4 + cached user agent")]
    public object Session() => (_ips.Enrich(Residential), _userAgents.Parse(Chrome));

    [Benchmark(Description = "User agent never seen before (all rule lists)")]
    public object UserAgentUncached() => new UserAgentParser(_datasets).Parse(Chrome.Replace("131", (_fresh++ % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
}
