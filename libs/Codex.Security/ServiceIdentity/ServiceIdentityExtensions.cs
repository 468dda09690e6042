using Codex.Security;
using Codex.Security.ServiceIdentity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Codex;

/// <summary>
/// Zero trust between services: a service calls another's internal routes with a client-credentials token
/// Auth issued for that callee, and an internal route admits only the services named on it.
/// </summary>
public static class ServiceIdentityExtensions
{
    /// <summary>
    /// Makes <paramref name="serviceName"/> this service's identity: its outgoing service tokens carry it, and
    /// the <see cref="ServiceTokens.Scheme"/> scheme accepts tokens whose audience is this service. Call after
    /// <c>AddCodexAuthentication</c> (the keys come from the same JWKS).
    /// </summary>
    public static IHostApplicationBuilder AddServiceIdentity(this IHostApplicationBuilder builder, string serviceName)
    {
        var services = builder.Services;
        services.AddOptions<ServiceIdentityOptions>().BindConfiguration(ServiceIdentityOptions.Section)
            .Configure(identity => identity.Name = serviceName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServiceTokenClient>();
        services.AddHttpClient(ServiceTokenClient.HttpClientName);

        services.AddAuthentication().AddJwtBearer(ServiceTokens.Scheme);
        services.AddOptions<JwtBearerOptions>(ServiceTokens.Scheme)
            .Configure<IOptions<CodexAuthOptions>, IConfigurationManager<OpenIdConnectConfiguration>>((bearer, options, keys) =>
            {
                bearer.MapInboundClaims = false;
                bearer.ConfigurationManager = keys;
                var parameters = SecurityExtensions.CreateValidationParameters(options.Value);
                parameters.ValidAudience = serviceName;
                parameters.ValidTypes = [ServiceTokens.TokenType];
                parameters.NameClaimType = ServiceTokens.ClientIdClaim;
                bearer.TokenValidationParameters = parameters;
            });
        return builder;
    }

    /// <summary>Sends this client's requests with this service's token for <paramref name="audience"/> (or the one each request names).</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client, string? audience = null) =>
        client.AddHttpMessageHandler(sp => new ServiceTokenHandler(sp.GetRequiredService<ServiceTokenClient>(), audience));

    /// <summary>
    /// Admits only a service token for this service from one of <paramref name="callers"/>: no token is 401,
    /// a user's token or another service's is 403.
    /// </summary>
    public static TBuilder RequireServiceCaller<TBuilder>(this TBuilder endpoints, params string[] callers) where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ServiceTokens.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ServiceTokens.ClientIdClaim, callers));
}
