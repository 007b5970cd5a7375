using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OfferTrace.Enrichment.Reputation;
using OfferTrace.Tests.Infrastructure;

namespace OfferTrace.Tests.Enrichment;

/// <summary>Sessions from real public addresses, enriched from the installed data sets (DB-IP city and ASN, reputation lists).</summary>
public sealed class IpEnrichmentTests
{
    [Fact]
    public async Task Google_public_dns_is_as15169_in_a_datacenter()
    {
        await using var server = await StartAsync();
        var session = await SessionFromAsync(server, "8.8.8.8");
        var network = session.GetProperty("network");
        Assert.Equal(15169, network.GetProperty("asn").GetInt64());
        Assert.Contains("Google", network.GetProperty("organization").GetString());
        Assert.True(network.GetProperty("is_datacenter").GetBoolean());
        Assert.False(network.GetProperty("is_tor").GetBoolean());
        Assert.Equal("US", session.GetProperty("geo").GetProperty("country_code").GetString());
    }

    [Fact]
    public async Task A_residential_isp_address_is_not_a_datacenter_and_has_its_place()
    {
        await using var server = await StartAsync();
        var session = await SessionFromAsync(server, "73.162.10.20");
        var network = session.GetProperty("network");
        Assert.Equal(7922, network.GetProperty("asn").GetInt64());
        Assert.Contains("Comcast", network.GetProperty("isp").GetString());
        Assert.False(network.GetProperty("is_datacenter").GetBoolean());
        Assert.False(network.GetProperty("is_vpn").GetBoolean());
        var geo = session.GetProperty("geo");
        Assert.Equal("United States", geo.GetProperty("country").GetString());
        Assert.Equal("US", geo.GetProperty("country_code").GetString());
        Assert.False(string.IsNullOrEmpty(geo.GetProperty("city").GetString()));
        Assert.InRange(geo.GetProperty("latitude").GetDouble(), 24, 50);
        Assert.InRange(geo.GetProperty("longitude").GetDouble(), -125, -66);
        Assert.StartsWith("America/", geo.GetProperty("timezone").GetString());
        Assert.False(geo.GetProperty("is_vpn_country").GetBoolean());
    }

    [Theory]
    [InlineData("2001:4860:4860::8888", 15169, true)]
    [InlineData("2601:1c0:4500::1", 7922, false)]
    public async Task Ipv6_addresses_resolve(string ip, long asn, bool datacenter)
    {
        await using var server = await StartAsync();
        var session = await SessionFromAsync(server, ip);
        var network = session.GetProperty("network");
        Assert.Equal("IPv6", network.GetProperty("ip_version").GetString());
        Assert.Equal(asn, network.GetProperty("asn").GetInt64());
        Assert.Equal(datacenter, network.GetProperty("is_datacenter").GetBoolean());
        Assert.Equal(2, session.GetProperty("geo").GetProperty("country_code").GetString()!.Length);
    }

    [Theory]
    [InlineData("52.95.110.1")]
    [InlineData("3.5.140.2")]
    public async Task An_aws_address_is_a_datacenter(string ip)
    {
        await using var server = await StartAsync();
        var network = (await SessionFromAsync(server, ip)).GetProperty("network");
        Assert.Equal(16509, network.GetProperty("asn").GetInt64());
        Assert.True(network.GetProperty("is_datacenter").GetBoolean());
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.10")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("203.0.113.42")]
    public async Task Private_loopback_and_documentation_addresses_get_no_geo_and_no_error(string ip)
    {
        await using var server = await StartAsync();
        var session = await SessionFromAsync(server, ip);
        Assert.Equal(JsonValueKind.Null, session.GetProperty("network").GetProperty("asn").ValueKind);
        Assert.Equal(JsonValueKind.Null, session.GetProperty("geo").GetProperty("country_code").ValueKind);
        Assert.Equal(JsonValueKind.Null, session.GetProperty("geo").GetProperty("latitude").ValueKind);
    }

    [Fact]
    public async Task An_address_from_the_shipped_tor_snapshot_is_tor()
    {
        await using var server = await StartAsync();
        Assert.True((await SessionFromAsync(server, "185.220.101.7")).GetProperty("network").GetProperty("is_tor").GetBoolean());
    }

    [Fact]
    public async Task Lists_in_the_reputation_directory_are_used_and_reloaded_without_a_restart()
    {
        using var directory = new TempDirectory();
        // The Tor Project's bulk exit list: one address a line. 81.2.69.142 is a residential ISP (AS20712) address.
        File.WriteAllText(Path.Combine(directory.Path, "tor-bulk-exit-list.txt"), "81.2.69.142\n");
        // AWS ip-ranges.json format, with a made-up range over an ISP address to show the file, not the ASN, decides.
        File.WriteAllText(Path.Combine(directory.Path, "datacenter-aws.json"),
            """{"syncToken":"1","prefixes":[{"ip_prefix":"212.58.244.0/24","region":"eu-west-2","service":"EC2"}],"ipv6_prefixes":[]}""");
        File.WriteAllText(Path.Combine(directory.Path, "vpn-custom.txt"), "# a VPN exit\n2a02:8010::/32\n");
        await using var server = await StartAsync($"--Enrichment:ReputationDirectory={directory.Path}");

        Assert.True((await SessionFromAsync(server, "81.2.69.142")).GetProperty("network").GetProperty("is_tor").GetBoolean());
        Assert.False((await SessionFromAsync(server, "185.220.101.7")).GetProperty("network").GetProperty("is_tor").GetBoolean());
        Assert.True((await SessionFromAsync(server, "212.58.244.20")).GetProperty("network").GetProperty("is_datacenter").GetBoolean());
        Assert.True((await SessionFromAsync(server, "2a02:8010::5")).GetProperty("network").GetProperty("is_vpn").GetBoolean());

        var store = server.Services.GetRequiredService<ReputationStore>();
        var version = store.Version;
        File.WriteAllText(Path.Combine(directory.Path, "tor-bulk-exit-list.txt"), "81.2.69.142\n73.162.10.20\n");
        await WaitUntilAsync(() => store.Version > version);
        Assert.True((await SessionFromAsync(server, "73.162.10.20")).GetProperty("network").GetProperty("is_tor").GetBoolean());
    }

    [Fact]
    public async Task A_configured_list_is_downloaded_into_the_reputation_directory()
    {
        using var directory = new TempDirectory();
        await using var receiver = await ListServer.StartAsync("ExitAddress 73.162.10.20 2026-11-24 08:00:00\n");
        await using var server = await StartAsync($"--Enrichment:ReputationDirectory={directory.Path}",
            $"--Enrichment:Refresh:0:Url={receiver.Url}", "--Enrichment:Refresh:0:File=tor-exit-addresses.txt", "--Enrichment:Refresh:0:IntervalMinutes=60");

        var store = server.Services.GetRequiredService<ReputationStore>();
        await WaitUntilAsync(() => store.Current[ReputationKind.Tor].Ranges.Count > 0);
        Assert.True((await SessionFromAsync(server, "73.162.10.20")).GetProperty("network").GetProperty("is_tor").GetBoolean());
        Assert.Equal(1, receiver.Requests);
    }

    [Fact]
    public async Task Without_data_sets_the_server_works_and_the_fields_are_null()
    {
        using var empty = new TempDirectory();
        await using var server = await StartAsync($"--Enrichment:DatasetsDirectory={empty.Path}", $"--Enrichment:ReputationDirectory={empty.Path}");
        var session = await SessionFromAsync(server, "8.8.8.8",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        Assert.Equal("8.8.8.8", session.GetProperty("network").GetProperty("ip").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("network").GetProperty("asn").ValueKind);
        Assert.False(session.GetProperty("network").GetProperty("is_datacenter").GetBoolean());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("geo").GetProperty("country_code").ValueKind);
        Assert.Equal(JsonValueKind.Null, session.GetProperty("device").GetProperty("browser").ValueKind);
    }

    [Fact]
    public async Task Forwarded_for_counts_only_from_a_trusted_proxy()
    {
        await using (var trusting = await StartAsync())
        {
            Assert.Equal("8.8.8.8", (await SessionFromAsync(trusting, "8.8.8.8")).GetProperty("network").GetProperty("ip").GetString());
        }
        await using var untrusting = await StartAsync("--Network:TrustedProxies:0=10.9.9.9");
        var network = (await SessionFromAsync(untrusting, "8.8.8.8")).GetProperty("network");
        Assert.Equal("127.0.0.1", network.GetProperty("ip").GetString());
        Assert.Equal(JsonValueKind.Null, network.GetProperty("asn").ValueKind);
    }

    private static async Task<TestServer> StartAsync(params string[] args)
    {
        var server = await TestServer.StartAsync("sqlite", args);
        await Catalogue.SeedWorkedExampleAsync(server.Admin);
        return server;
    }

    private static Task<JsonElement> SessionFromAsync(TestServer server, string ip, string? userAgent = null) =>
        Flow.SessionFromAsync(server, ip, userAgent: userAgent);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), "the condition did not hold within 10 s");
    }
}
