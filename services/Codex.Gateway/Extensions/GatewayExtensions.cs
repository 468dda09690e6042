using Microsoft.Extensions.DependencyInjection.Extensions;
using Codex.Contracts;
using Codex.Gateway.Access;
using Codex.Gateway.Errors;
using Codex.Gateway.OpenApi;
using Codex.Gateway.RateLimiting;
using Codex.Gateway.Routing;
using Microsoft.Extensions.Options;

namespace Codex.Gateway.Extensions;

public static class GatewayExtensions
{
    public const string CorsPolicy = "gateway";

    public static void AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section);

        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddCodexAuthentication();
        builder.AddServiceIdentity(ResourceNames.Services.Gateway);
        builder.AddEventSubscriber(ResourceNames.Messaging)
            .AddSubscription<ApiKeyRevoked, KeyCacheEviction>()
            .AddSubscription<TenantSuspended, KeyCacheEviction>()
            .AddSubscription<TenantReactivated, KeyCacheEviction>()
            .AddSubscription<TenantDeleted, KeyCacheEviction>();
        services.AddHttpClient(ApiKeyResolver.AuthClient, client => client.BaseAddress = new Uri($"http://{ResourceNames.Services.Auth}"))
            .AddServiceToken(ResourceNames.Services.Auth);
        services.AddSingleton<ApiKeyResolver>();
        services.AddSingleton<GatewayMetrics>();
        services.AddHttpClient(MergedOpenApi.OpenApiClient);
        services.AddSingleton<MergedOpenApi>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisRateLimiter>();
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(options.CorsOrigins).AllowAnyHeader().AllowAnyMethod()
            .WithExposedHeaders(GatewayAccess.RequestIdHeader, "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")));

        var (routes, clusters) = GatewayRoutes.Build(options, builder.Configuration);
        services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .ConfigureHttpClient((_, handler) => handler.PooledConnectionLifetime = options.UpstreamConnectionLifetime)
            .AddServiceDiscoveryDestinationResolver();
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // Before anything reads the client's address (limits, Auth's throttle behind the forwarded header).
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxies is { Length: > 0 } proxies)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Contains('/', StringComparison.Ordinal) ? proxy : $"{proxy}/{(proxy.Contains(':', StringComparison.Ordinal) ? 128 : 32)}"));
            }
            app.UseForwardedHeaders(forwarded);
        }
        app.Use(SecurityHeaders.For(app.Environment));
        app.Use(GatewayAccess.StripAndStampAsync);
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/openapi/v1.json", async (MergedOpenApi openApi, CancellationToken cancellationToken) =>
            Results.Text(await openApi.DocumentAsync(cancellationToken), "application/json")).ExcludeFromDescription();
        app.MapApiReference(withDocument: false);
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(DownstreamErrors.TranslateAsync);
            proxy.Use(GatewayAccess.CheckAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
