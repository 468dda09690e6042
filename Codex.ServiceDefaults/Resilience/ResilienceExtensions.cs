using Codex.ServiceDefaults.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Outgoing-HTTP resilience on Polly 8 (what Microsoft.Extensions.Http.Resilience's standard handler does).</summary>
public static class ResilienceExtensions
{
    /// <summary>Registers the per-client pipelines, configured from <c>Resilience:Http</c>.</summary>
    public static IServiceCollection AddHttpResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpResilienceOptions>().Bind(configuration.GetSection(HttpResilienceOptions.SectionName));
        services.AddSingleton<HttpResiliencePipelines>();
        return services;
    }

    /// <summary>Rate limit, total timeout, retry (idempotent requests only), circuit breaker, attempt timeout.</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        // Configured through the options (not AddHttpMessageHandler) because the handler needs the
        // client's name, which a ConfigureHttpClientDefaults builder does not carry.
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
                handlers.AdditionalHandlers.Add(new StandardResilienceHandler(
                    handlers.Services.GetRequiredService<HttpResiliencePipelines>().For(handlers.Name ?? string.Empty)))));
        return builder;
    }
}
