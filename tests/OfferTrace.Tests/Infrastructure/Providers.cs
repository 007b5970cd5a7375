namespace OfferTrace.Tests.Infrastructure;

/// <summary>Every integration test runs on each storage provider.</summary>
public static class Providers
{
    public static TheoryData<string> All => new() { "sqlite", "postgres" };
}
