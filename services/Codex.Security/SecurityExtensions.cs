using Codex.Security;
using Codex.Security.Authentication;
using Codex.Security.Authorization;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>Token validation, tenancy and permissions: the same for every service.</summary>
public static class SecurityExtensions
{
    /// <summary>The HttpClient that fetches Auth's JWKS (through service discovery and resilience).</summary>
    public const string JwksClient = "codex-jwks";

    /// <summary>
    /// Trusts Auth's access tokens: asymmetric signatures only (RS256, ES256), issuer, audience, lifetime, a tenant claim, keys from
    /// Auth's JWKS (cached, refetched on an unknown <c>kid</c>); adds the <c>superadmin</c> policy, the
    /// permission handler behind <c>RequirePermission</c>, and the scoped <see cref="TenantContext"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCodexAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CodexAuthOptions>().BindConfiguration(CodexAuthOptions.Section);
        services.AddHttpClient(JwksClient);
        services.TryAddSingleton<BaseConfigurationManager>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CodexAuthOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(JwksClient);
            return new ConfigurationManager<JwksConfiguration>(options.JwksUri, new JwksRetriever(), new HttpDocumentRetriever(http) { RequireHttps = false })
            {
                AutomaticRefreshInterval = options.JwksRefreshInterval,
                RefreshInterval = options.JwksMinimumRefreshInterval,
            };
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CodexTokenValidator>();
        services.AddSingleton<IConfigureOptions<CodexBearerOptions>, ConfigureBearerOptions>();

        services.AddAuthentication(CodexBearerHandler.SchemeName)
            .AddScheme<CodexBearerOptions, CodexBearerHandler>(CodexBearerHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CodexClaims.SuperadminPolicy, policy => policy.RequireClaim(CodexClaims.Role, CodexClaims.SuperadminRole));
        services.AddSingleton<IAuthorizationHandler, PermissionAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, PermissionDenialReporter>();
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

    /// <summary>The validation parameters for Codex access tokens.</summary>
    public static TokenValidationParameters CreateValidationParameters(CodexAuthOptions options, BaseConfigurationManager keys) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        ValidAlgorithms = options.Algorithms,
        ConfigurationManager = keys,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        TryAllIssuerSigningKeys = false,
        ClockSkew = options.ClockSkew,
        NameClaimType = CodexClaims.Email,
        RoleClaimType = CodexClaims.Role,
    };

    private sealed class ConfigureBearerOptions(IOptions<CodexAuthOptions> options, BaseConfigurationManager keys)
        : IConfigureNamedOptions<CodexBearerOptions>
    {
        public void Configure(string? name, CodexBearerOptions bearer) =>
            bearer.ValidationParameters = CreateValidationParameters(options.Value, keys);

        public void Configure(CodexBearerOptions bearer) => Configure(Microsoft.Extensions.Options.Options.DefaultName, bearer);
    }
}
