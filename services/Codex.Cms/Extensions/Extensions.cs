using Codex.Cms.Infrastructure;
using Codex.Cms.Media;
using Codex.Cms.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Codex.Cms.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBodyLimits.For(ResourceNames.Services.Cms));
        builder.AddTenantDbContext<CmsDbContext>(ResourceNames.Databases.Cms);
        builder.AddEventBus<CmsDbContext>(ResourceNames.Messaging).PublishPermissionDenials();
        // Published pages are cached here (the revocation list shares the connection).
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddCodexAuthentication();
        builder.AddServiceIdentity(ResourceNames.Services.Cms);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.AddSingleton<ContentSchemas>();
        services.AddScoped<ContentTypeService>();
        services.AddScoped<ContentItemService>();
        services.AddScoped<LocaleService>();
        services.AddScoped<MediaService>();
        services.Configure<MediaStorageOptions>(builder.Configuration.GetSection(MediaStorageOptions.Section));
        services.AddSingleton<IMediaStorage, FileSystemMediaStorage>();
        services.AddScoped<RevisionService>();
        services.AddScoped<DeliveryService>();
        services.AddScoped<ContentValidation>();
        services.AddScoped<PageService>();
        services.AddSingleton<PageCache>();
        services.Configure<PublishingSchedulerOptions>(builder.Configuration.GetSection(PublishingSchedulerOptions.Section));
        services.AddHostedService<PublishingScheduler>();
        services.AddScoped<SummaryService>();
        services.AddOpenApi();
        // Here as well as in ServiceDefaults: the validation generator serves the project whose call it sees.
        services.AddValidation();
    }
}
