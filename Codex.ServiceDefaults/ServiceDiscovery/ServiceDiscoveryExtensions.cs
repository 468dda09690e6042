using Codex.ServiceDefaults.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configuration-based service discovery, the contract of Microsoft.Extensions.ServiceDiscovery.</summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers the resolver that reads <c>services__&lt;name&gt;__&lt;scheme&gt;__&lt;i&gt;</c>.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.AddSingleton<ServiceEndpointResolver>();
        services.AddTransient<ServiceDiscoveryHandler>();
        return services;
    }

    /// <summary>Lets this client address services by name: <c>http://auth</c>.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler<ServiceDiscoveryHandler>();
}
