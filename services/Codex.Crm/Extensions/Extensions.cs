using Codex.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.IntegrationEvents;
using Codex.Crm.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Codex.Crm.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // JSON bodies stay small (custom fields are capped at 16 KB); the CSV import raises its own limit.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.For(ResourceNames.Services.Crm));
        builder.AddTenantDbContext<CrmDbContext>(ResourceNames.Databases.Crm);
        builder.AddEventBus<CrmDbContext>(ResourceNames.Messaging)
            .AddSubscription<TenantCreated, TenantCreatedHandler>()
            .PublishPermissionDenials();
        builder.AddCodexAuthentication();
        builder.AddServiceIdentity(ResourceNames.Services.Crm);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.AddHttpClient<TenantUsers>(client => client.BaseAddress = new Uri($"http://{ResourceNames.Services.Auth}"))
            .AddServiceToken(ResourceNames.Services.Auth);
        services.AddScoped<CustomerService>();
        services.AddScoped<CustomerCsv>();
        services.AddScoped<PipelineService>();
        services.AddScoped<PipelineStatsService>();
        services.AddScoped<LeadService>();
        services.AddScoped<InteractionService>();
        services.AddScoped<SummaryService>();
        services.AddOpenApi();
        // Here as well as in ServiceDefaults: the validation generator serves the project whose call it sees.
        services.AddValidation();
    }
}
