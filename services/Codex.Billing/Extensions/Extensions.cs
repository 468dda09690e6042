using Codex.Billing.Infrastructure;
using Codex.Billing.IntegrationEvents;
using Codex.Billing.Payments;
using Codex.Billing.Webhooks;
using Codex.Messaging.Outbox;
using Microsoft.AspNetCore.DataProtection;
using Codex.Billing.Services;
using Codex.Contracts;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Codex.Billing.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.For(ResourceNames.Services.Billing));
        builder.AddTenantDbContext<BillingDbContext>(ResourceNames.Databases.Billing);
        // Customers come from CRM: Billing keeps its own copy from CRM's events.
        builder.AddEventBus<BillingDbContext>(ResourceNames.Messaging)
            .AddSubscription<CustomerCreated, CustomerHandlers>()
            .AddSubscription<CustomerUpdated, CustomerHandlers>()
            .AddSubscription<CustomerDeleted, CustomerHandlers>()
            .AddSubscription<CustomerRestored, CustomerHandlers>()
            .PublishPermissionDenials();
        builder.AddCodexAuthentication();
        builder.AddServiceIdentity(ResourceNames.Services.Billing);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BillingClock>();

        services.AddScoped<PlanService>();
        services.AddScoped<SubscriptionService>();
        services.AddScoped<SubscriptionLifecycle>();
        services.AddScoped<UsageService>();
        services.AddSingleton<MetricCatalog>();
        services.AddScoped<SummaryService>();
        services.AddScoped<SettingsService>();
        services.AddScoped<InvoiceService>();
        services.AddScoped<PaymentService>();
        services.AddSingleton<InvoicePdf>();
        // The provider that runs here; a deployment registers its real provider's IPaymentProvider before this.
        services.TryAddSingleton<LocalPaymentProvider>();
        services.TryAddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<LocalPaymentProvider>());
        services.Configure<BillingSchedulerOptions>(builder.Configuration.GetSection(BillingSchedulerOptions.Section));
        services.AddHostedService<BillingScheduler>();

        // Webhooks: deliveries written with the events (a decorated outbox), sent by the dispatcher; secrets protected at
        // rest with keys every replica shares (in billingdb).
        services.AddDataProtection().SetApplicationName("codex-billing").PersistKeysToDbContext<BillingDbContext>();
        services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        services.AddScoped<WebhookService>();
        services.AddHttpClient(WebhookDispatcher.Client);
        services.AddHostedService<WebhookDispatcher>();
        var outbox = services.Single(d => d.ServiceType == typeof(IEventOutbox));
        services.Remove(outbox);
        services.AddScoped<IEventOutbox>(sp => new WebhookOutbox(
            (IEventOutbox)(outbox.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, outbox.ImplementationType!)),
            sp.GetRequiredService<BillingDbContext>(), sp.GetRequiredService<BillingClock>()));
        services.AddOpenApi();
        // Here as well as in ServiceDefaults: the validation generator serves the project whose call it sees.
        services.AddValidation();
    }
}
