using System.Text.Json;
using System.Text.Json.Serialization;
using OfferTrace.Admin;
using OfferTrace.Analytics;
using OfferTrace.Catalog;
using OfferTrace.ClickEvents;
using OfferTrace.Common;
using OfferTrace.Diagnostics;
using OfferTrace.Enrichment;
using OfferTrace.Enrichment.Ip;
using OfferTrace.Enrichment.Reputation;
using OfferTrace.Enrichment.UserAgents;
using OfferTrace.Fraud;
using OfferTrace.GoogleAds;
using OfferTrace.Fraud.Blocklist;
using OfferTrace.Fraud.History;
using OfferTrace.Health;
using OfferTrace.Import;
using OfferTrace.Ledger;
using OfferTrace.Postbacks;
using OfferTrace.PublisherPostbacks;
using OfferTrace.Reconciliation;
using OfferTrace.Storage;
using OfferTrace.Tracking;
using OfferTrace.Tracking.Clicks;
using OfferTrace.Tracking.Impressions;
using OfferTrace.Tracking.Sessions;
using Scalar.AspNetCore;

namespace OfferTrace;

/// <summary>The table of contents of the service: what it is made of, and which routes it serves.</summary>
public static class OfferTraceHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelHttpsConfiguration();
        // Kestrel's default reads each request twice (a zero-byte read to learn that data has come, then the read into
        // a buffer) so that idle connections hold no buffer. Tracking clients keep their connections busy; one read
        // per request costs a system call less (bench/README.md: about 1/15 more clicks per second on PostgreSQL) and
        // holds a 4 KB buffer per idle connection. Server:LeanIdleConnections brings the default back.
        var leanIdleConnections = builder.Configuration.GetValue("Server:LeanIdleConnections", false);
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = leanIdleConnections);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
            k.AddServerHeader = false;
        });

        builder.AddPlumbing();
        builder.AddStorage();
        builder.AddEnrichment();
        builder.AddFraud();
        builder.AddCatalog();
        builder.AddTracking();
        builder.AddLedger();
        builder.AddAnalytics();
        builder.AddClickEvents();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(NulInUrl.RejectAsync);
        app.UseCors();

        app.MapHealth();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("OfferTrace API"));

        var tracking = app.MapGroup("/api/offerwall").WithTags("Tracking");
        tracking.MapTracking();
        tracking.MapPostbacks();
        app.MapGroup("/api/click-events").WithTags("Ad-click forensics").MapClickEvents();

        var admin = app.MapGroup("/api/admin").WithTags("Admin").AddEndpointFilter<AdminAuthFilter>();
        admin.MapResource(PublishersApi.Resource);
        admin.MapResource(PlacementsApi.Resource);
        admin.MapResource(OffersApi.Resource);
        admin.MapResource(NetworksApi.Resource);
        admin.MapResource(SitesApi.Resource);
        admin.MapKeys();
        admin.MapExchangeRates();
        admin.MapImport();
        admin.MapAnalytics();
        admin.MapRevenueAnalysis();
        admin.MapReconciliation();
        admin.MapBlocklist();
        admin.MapFraudAnalysis();
        admin.MapClickEventsAdmin();
        admin.MapGoogleAds();
        admin.MapLedger();
        admin.MapCallbacks();
        admin.MapPostbacksAdmin();
        return app;
    }

    private static void AddPlumbing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OfferTraceMetrics>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemShaping.Customize);
        builder.Services.AddExceptionHandler<ExceptionToProblem>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, OfferTraceJsonContext.Default);
        });
        builder.Services.AddCors(o => o.AddPolicy(TrackingApi.CorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST")));
        // Console format from configuration: "simple" by default, "json" for structured log shipping.
        builder.Logging.AddConsole();
    }

    private static void AddEnrichment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<EnrichmentOptions>().BindConfiguration(EnrichmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ClientIpResolver>();
        builder.Services.AddSingleton<UserAgentParser>();
        builder.Services.AddSingleton<Datasets>();
        builder.Services.AddSingleton<ReputationStore>();
        builder.Services.AddSingleton<IpEnricher>();
        builder.Services.AddHttpClient(nameof(ReputationRefresher));
        builder.Services.AddSingleton<ReputationRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReputationRefresher>());
        builder.Services.AddHostedService<EnrichmentWarmUp>();
    }

    private static void AddFraud(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FraudOptions>().BindConfiguration(FraudOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<FraudEngine>();
        builder.Services.AddSingleton<Blocklist>();
        builder.Services.AddSingleton<FraudHistory>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FraudHistory>());
    }

    private static void AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<CatalogLookup>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AdminAuthFilter>();
        builder.Services.AddHostedService<StartupTasks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CatalogCache>());
    }

    private static void AddTracking(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TrackingLookup>();
        builder.Services.AddSingleton<SessionService>();
        builder.Services.AddSingleton<ImpressionService>();
        builder.Services.AddSingleton<ClickService>();
        builder.Services.AddSingleton<ConversionService>();
        builder.Services.AddSingleton<ImportLineProcessor>();
    }

    private static void AddLedger(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MoneyOptions>().BindConfiguration(MoneyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ExchangeRates>();
        builder.Services.AddSingleton<Redemptions>();
        builder.Services.AddSingleton<PayoutStatuses>();
        builder.Services.AddSingleton<LedgerReplay>();
        builder.Services.AddSingleton<ConversionReview>();
        builder.Services.AddOptions<PostbacksOptions>().BindConfiguration(PostbacksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        builder.Services.AddSingleton<PostbackOutbox>();
        builder.Services.AddSingleton<PostbackSender>();
        builder.Services.AddSingleton<PostbackDeliveries>();
        builder.Services.AddSingleton<PostbackDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PostbackDispatcher>());
        builder.Services.AddHostedService<HoldReleaser>();
        builder.Services.AddHttpClient(PostbackSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy would make the connection step see only the proxy's address, not the publisher's.
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = PostbackSender.Connect(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostbacksOptions>>().Value.AllowPrivateTargets),
            })
            .ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.ParseAdd("OfferTrace-Postback/1.0"));
    }

    private static void AddClickEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClickEventService>();
        builder.Services.AddSingleton<ClickEventReports>();
        builder.Services.AddSingleton<CampaignCosts>();
        builder.Services.AddOptions<GoogleAdsOptions>().BindConfiguration(GoogleAdsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<GoogleAdsExports>();
        // A preflight names no site: grant any origin some active site allows; the POST then checks the event's own site.
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<CatalogCache>((o, catalog) =>
            o.AddPolicy(ClickEventsApi.CorsPolicy, p => p.SetIsOriginAllowed(origin => catalog.Current.SiteOrigins.Contains(origin))
                .AllowAnyHeader().WithMethods("POST")));
    }

    private static void AddAnalytics(this WebApplicationBuilder builder) => builder.Services.AddSingleton<AnalyticsQueries>();
}
