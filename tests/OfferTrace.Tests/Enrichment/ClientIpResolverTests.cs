using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;

namespace OfferTrace.Tests.Enrichment;

public sealed class ClientIpResolverTests
{
    [Fact]
    public void Forwarded_headers_are_ignored_from_an_untrusted_peer()
    {
        var resolver = Resolver();
        Assert.Equal("198.51.100.7", resolver.Resolve(Request("198.51.100.7", xff: "203.0.113.42")).ToString());
    }

    [Fact]
    public void From_a_trusted_proxy_the_right_most_untrusted_address_is_the_client()
    {
        var resolver = Resolver("10.0.0.0/8");
        Assert.Equal("203.0.113.42", resolver.Resolve(Request("10.0.0.5", xff: "1.2.3.4, 203.0.113.42, 10.0.0.9")).ToString());
        Assert.Equal("10.0.0.5", resolver.Resolve(Request("10.0.0.5")).ToString());
    }

    [Fact]
    public void Loopback_is_trusted_by_default_and_a_configured_list_replaces_it()
    {
        Assert.Equal("203.0.113.42", Resolver().Resolve(Request("127.0.0.1", xff: "203.0.113.42")).ToString());
        Assert.Equal("127.0.0.1", Resolver("10.0.0.1").Resolve(Request("127.0.0.1", xff: "203.0.113.42")).ToString());
    }

    [Fact]
    public void The_standard_forwarded_header_is_understood_with_ipv6_and_ports()
    {
        var resolver = Resolver();
        Assert.Equal("2001:db8::1", resolver.Resolve(Request("::1", forwarded: "for=\"[2001:db8::1]:4711\";proto=https")).ToString());
        Assert.Equal("203.0.113.42", resolver.Resolve(Request("127.0.0.1", forwarded: "for=192.0.2.60, for=203.0.113.42:8080")).ToString());
    }

    [Fact]
    public void A_garbled_forwarded_value_falls_back_to_the_peer()
    {
        Assert.Equal("127.0.0.1", Resolver().Resolve(Request("127.0.0.1", xff: "not-an-ip")).ToString());
    }

    private static ClientIpResolver Resolver(params string[] trusted) =>
        new(Options.Create(new NetworkOptions { TrustedProxies = [.. trusted] }));

    private static HttpContext Request(string peer, string? xff = null, string? forwarded = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (xff is not null) context.Request.Headers["X-Forwarded-For"] = xff;
        if (forwarded is not null) context.Request.Headers["Forwarded"] = forwarded;
        return context;
    }
}
