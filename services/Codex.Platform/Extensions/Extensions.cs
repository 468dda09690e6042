using Codex.Platform.Infrastructure;
using Codex.Platform.IntegrationEvents;
using Codex.Platform.Services;
using Codex.Platform.Summaries;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Codex.Platform.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.For(ResourceNames.Services.Platform));
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Databases.Platform, CodexDbContextDefaults.Settings, CodexDbContextDefaults.Options);
        builder.AddEventBus<PlatformDbContext>(ResourceNames.Messaging)
            .AddAllEventsSubscription<EventLedgerHandler>()
            .PublishPermissionDenials();
        builder.AddCodexAuthentication();
        builder.AddServiceIdentity(ResourceNames.Services.Platform);
        services.TryAddSingleton(TimeProvider.System);
        // Protects an admin password only while its provisioning step waits for Auth.
        services.AddDataProtection().SetApplicationName("codex-platform").PersistKeysToDbContext<PlatformDbContext>();

        services.AddOptions<ProvisioningOptions>().BindConfiguration(ProvisioningOptions.Section);
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.Section);
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section);

        services.AddHttpClient<AuthProvisioningClient>(client => client.BaseAddress = new Uri($"http://{ResourceNames.Services.Auth}"))
            .AddServiceToken(ResourceNames.Services.Auth);
        // Each request names its callee (the service whose summary it reads).
        services.AddHttpClient(Reconciler.SummaryClient).AddServiceToken();
        services.AddHttpClient(ServiceRegistry.HealthClient);

        services.AddSummaryProjection<AuthSummaryProjection>();
        services.AddSummaryProjection<CrmSummaryProjection>();
        services.AddSummaryProjection<CmsSummaryProjection>();
        services.AddSummaryProjection<BillingSummaryProjection>();
        services.AddScoped<SummaryStore>();
        services.AddScoped<SummaryReader>();
        services.AddScoped<Reconciler>();
        services.AddScoped<ProvisioningService>();
        services.AddScoped<TenantService>();
        services.AddScoped<ClientService>();
        services.AddScoped<ConfigService>();
        services.AddScoped<ServiceRegistry>();
        services.AddScoped<EventRates>();
        services.AddSingleton<PlatformMetrics>();
        services.AddHostedService<ProvisioningWorker>();
        services.AddHostedService<HealthPoller>();
        services.AddHostedService<ReconciliationWorker>();
        services.AddOpenApi();
        // Here as well as in ServiceDefaults: the validation generator serves the project whose call it sees.
        services.AddValidation();
    }

    /// <summary>Adds a service's figures to the tenant summaries (one line per service).</summary>
    public static IServiceCollection AddSummaryProjection<TProjection>(this IServiceCollection services) where TProjection : class, ISummaryProjection =>
        services.AddSingleton<ISummaryProjection, TProjection>();
}
