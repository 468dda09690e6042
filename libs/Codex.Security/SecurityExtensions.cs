using Codex.Security;
using Codex.Security.Authentication;
using Codex.Security.Authorization;
using Codex.Security.Revocation;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Codex;

/// <summary>Token validation, tenancy and permissions: the same for every service.</summary>
public static class SecurityExtensions
{
    /// <summary>The HttpClient that fetches Auth's JWKS (through service discovery and resilience).</summary>
    public const string JwksClient = "codex-jwks";

    /// <summary>
    /// Trusts Auth's access tokens through JwtBearer: asymmetric signatures only (RS256, ES256), issuer,
    /// audience, lifetime, a tenant and a subject, keys from Auth's JWKS at <c>http://auth</c> (service
    /// discovery; cached, refetched on an unknown <c>kid</c>). Adds the <c>superadmin</c> policy, the
    /// permission handler behind <c>RequirePermission</c>, and the scoped <see cref="TenantContext"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCodexAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CodexAuthOptions>().BindConfiguration(CodexAuthOptions.Section);
        services.AddHttpClient(JwksClient);
        services.TryAddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CodexAuthOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(JwksClient);
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                options.JwksUri, new JwksRetriever(), new HttpDocumentRetriever(http) { RequireHttps = false })
            {
                AutomaticRefreshInterval = options.JwksRefreshInterval,
                RefreshInterval = options.JwksMinimumRefreshInterval,
            };
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ValidatedTokenCache>();
        // Revoked sessions and suspended tenants, from Redis, wherever the service has the cache.
        if (builder.Configuration.GetConnectionString(ResourceNames.Cache) is not null && !services.Any(s => s.ServiceType == typeof(RevokedTokens)))
        {
            if (!services.Any(s => s.ServiceType == typeof(StackExchange.Redis.IConnectionMultiplexer)))
            {
                builder.AddRedisClient(ResourceNames.Cache);
            }
            services.AddSingleton<RevokedTokens>();
            services.AddHostedService(sp => sp.GetRequiredService<RevokedTokens>());
            // The revocations already known stay in memory; new ones wait for the cache (or the tokens' expiry).
            builder.ServesWithout(DependencyHealthChecks.Redis);
        }

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<CodexAuthOptions>, IConfigurationManager<OpenIdConnectConfiguration>>((bearer, options, keys) =>
            {
                // Codex tokens use short JWT claim names (sub, tid, role), read as they are.
                bearer.MapInboundClaims = false;
                bearer.ConfigurationManager = keys;
                bearer.TokenValidationParameters = CreateValidationParameters(options.Value);
                bearer.Events = new CodexBearerEvents();
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(CodexClaims.SuperadminPolicy, policy => policy.RequireClaim(CodexClaims.Role, CodexClaims.SuperadminRole));
        services.AddSingleton<IAuthorizationHandler, PermissionAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, PermissionDenialReporter>();
        services.AddScoped<TenantContext>();
        return builder;
    }

    /// <summary>Authentication, then the request's tenant, then authorization.</summary>
    public static WebApplication UseCodexAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<TenantMiddleware>();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The validation parameters for Codex access tokens; the keys come from the configuration manager.</summary>
    public static TokenValidationParameters CreateValidationParameters(CodexAuthOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        ValidAlgorithms = options.Algorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        TryAllIssuerSigningKeys = false,
        ClockSkew = options.ClockSkew,
        NameClaimType = CodexClaims.Email,
        RoleClaimType = CodexClaims.Role,
    };
}
