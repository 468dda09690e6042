using Codex.Security;
using Codex.Web.Api;
using Codex.Web.Session;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radzen;
using StackExchange.Redis;

namespace Codex.Web.Extensions;

public static class Extensions
{
    /// <summary>
    /// The console: Razor components (static by default, interactive where live), a cookie that holds
    /// who is signed in, their tokens in Redis (never in the browser), and typed clients to the gateway.
    /// </summary>
    public static void AddConsoleServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Static web assets (blazor.web.js, Radzen's files) from the build output in every environment,
        // so the console runs unpublished outside Development too; a published app has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.AddRedisClient(ResourceNames.Cache);
        services.TryAddSingleton(TimeProvider.System);

        // Replicas share the keys that protect cookies, antiforgery tokens and stored sessions.
        services.AddDataProtection().SetApplicationName("codex-web");
        // Microsoft.AspNetCore.DataProtection.StackExchangeRedis's repository on Aspire's multiplexer (one Redis list).
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), "codex:web:dataprotection-keys"));

        services.AddMemoryCache();
        services.AddSingleton<SessionStore>();
        services.AddScoped<SessionTokens>();
        services.AddScoped<SignInService>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "codex.console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/forbidden";
                options.ReturnUrlParameter = "returnUrl";
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                // Signed out elsewhere (another tab, an expired refresh): the cookie alone is not enough.
                options.Events.OnValidatePrincipal = SessionStore.ValidatePrincipalAsync;
                options.Events.OnRedirectToLogin = SessionStore.RedirectToLoginAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicies.Superadmin, policy => policy.RequireAuthenticatedUser().RequireClaim(CodexClaims.Role, CodexClaims.SuperadminRole))
            .AddPolicy(ConsolePolicies.TenantAdmin, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => ConsolePolicies.IsTenantAdmin(context.User)));
        services.AddCascadingAuthenticationState();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();

        // The gateway only: by service discovery, with ServiceDefaults' resilience.
        var gateway = new Uri($"http://{ResourceNames.Services.Gateway}");
        // A person waits on these: a 503's Retry-After (5 s, three times over) would freeze a page for 15 s.
        // Retry quickly, a little, and then show the error.
        services.AddHttpClient<GatewayApi>(client => client.BaseAddress = gateway).WithConsoleResilience();
        services.AddHttpContextAccessor();
        services.AddTransient<ForwardedClientAddress>();
        services.AddHttpClient<SignInClient>(client => client.BaseAddress = gateway).AddHttpMessageHandler<ForwardedClientAddress>().WithConsoleResilience();
        services.AddScoped<AuthAdminApi>();
        services.AddScoped<CmsApi>();
        services.AddScoped<PlatformApi>();
    }

    /// <summary>Error and status pages as HTML, security headers, static files, the cookie, antiforgery.</summary>
    public static void UseConsolePipeline(this WebApplication app)
    {
        // After MapDefaultEndpoints: these run inside its problem-details handlers, so a browser gets a
        // page, not JSON.
        app.Use(RelativeRedirects.RewriteAsync);
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found");
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next();
        });
        app.MapStaticAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    private static IHttpClientBuilder WithConsoleResilience(this IHttpClientBuilder client)
    {
        // Replaces ServiceDefaults' handler for these clients only (the API is marked for evaluation).
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler(options =>
        {
            options.Retry.DisableForUnsafeHttpMethods();
            options.Retry.ShouldRetryAfterHeader = false;
            options.Retry.MaxRetryAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        });
        return client;
    }
}
