using Codex.Auth.Identity;
using Codex.Auth.Infrastructure;
using Codex.Auth.IntegrationEvents;
using Codex.Auth.Model;
using Codex.Auth.Services;
using Codex.Auth.Tokens;
using Codex.Contracts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Codex.Auth.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Auth's bodies are small; anything near this is not a sign-in.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.For(ResourceNames.Services.Auth));
        builder.AddTenantDbContext<AuthDbContext>(ResourceNames.Databases.Auth);
        builder.AddEventBus<AuthDbContext>(ResourceNames.Messaging)
            .AddSubscription<TenantCreated, TenantReplicaHandlers>()
            .AddSubscription<TenantUpdated, TenantReplicaHandlers>()
            .AddSubscription<TenantSuspended, TenantReplicaHandlers>()
            .AddSubscription<TenantReactivated, TenantReplicaHandlers>()
            .AddSubscription<TenantDeleted, TenantReplicaHandlers>()
            .PublishPermissionDenials();
        builder.AddCodexAuthentication();
        builder.AddServiceIdentity(ResourceNames.Services.Auth);
        services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>, LocalSigningKeys>();

        services.AddOptions<AuthServiceOptions>().BindConfiguration(AuthServiceOptions.Section);
        services.AddOptions<AdminOptions>()
            .Configure<IConfiguration>((admin, configuration) =>
            {
                admin.Email = configuration["CODEX_ADMIN_EMAIL"];
                admin.Password = configuration["CODEX_ADMIN_PASSWORD"];
            })
            .Validate(admin => !builder.Environment.IsProduction() || (!string.IsNullOrEmpty(admin.Email) && !string.IsNullOrEmpty(admin.Password)),
                "CODEX_ADMIN_EMAIL and CODEX_ADMIN_PASSWORD must be set in Production: they name the first superadmin.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();

        // The key ring lives in authdb. A certificate, when configured, encrypts it at rest there, so a copy
        // of the database alone does not unprotect the signing keys or TOTP secrets.
        var dataProtection = services.AddDataProtection().SetApplicationName("codex-auth").PersistKeysToDbContext<AuthDbContext>();
        if (builder.Configuration["Auth:DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, builder.Configuration["Auth:DataProtection:CertificatePassword"]));
        }

        AddIdentity(services);

        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<ServiceTokenIssuer>();
        services.AddHostedService<SigningKeyRotation>();
        services.AddSingleton<AuthMetrics>();
        services.AddScoped<AuthEventLog>();
        services.AddScoped<PermissionResolver>();
        services.AddScoped<TenantGuard>();
        services.AddScoped<SessionService>();
        services.AddSingleton<TokenRevocation>();
        services.AddSingleton<AttemptThrottle>();
        services.AddScoped<SignInService>();
        services.AddScoped<AccountService>();
        services.AddScoped<MfaService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<RoleService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<SummaryService>();
        services.AddScoped<TenantProvisioningService>();
        services.AddOpenApi();
        // Called here, not only in ServiceDefaults: the validation source generator builds validators
        // for the endpoints of the project whose AddValidation() call it sees.
        services.AddValidation();
    }

    private static void AddIdentity(IServiceCollection services)
    {
        services.AddIdentityCore<User>(options =>
            {
                // NIST 800-63B: length and a breached-password list, no composition rules.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Tokens.AuthenticatorTokenProvider = TotpTokenProvider.Name;
            })
            .AddUserStore<CodexUserStore>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<TotpTokenProvider>(TotpTokenProvider.Name);
        // Link lifetimes come from Auth's own options, the one place they are read. (Identity's account-wide
        // lockout is not used: anyone could lock anyone out with it. AttemptThrottle locks per address.)
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AuthServiceOptions>>((tokens, auth) =>
            tokens.TokenLifespan = auth.Value.EmailTokenLifetime);
    }
}
