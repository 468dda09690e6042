using Codex.Cms.Apis;
using Codex.Cms.Extensions;
using Codex.Cms.Infrastructure;
using Codex.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codex.Web.Tests.Browser;

/// <summary>The console's stack with a real CMS (on a cmsdb of its own) behind the gateway: for the content pages.</summary>
public sealed class CmsWebStack : WebStack
{
    private TestApp? _cms;
    private readonly string _mediaRoot = Path.Combine(Path.GetTempPath(), $"codex-web-media-{Guid.NewGuid():N}");

    protected override async Task<IDictionary<string, string?>> StartDownstreamAsync()
    {
        (_cms, _, _) = await StartServiceAsync(ResourceNames.Services.Cms, ResourceNames.Databases.Cms, $"cms_{Guid.NewGuid():N}"[..20],
            builder => builder.AddApplicationServices(), app => app.MapCmsEndpoints(),
            services => services.MigrateDatabaseAsync<CmsDbContext>(ResourceNames.Databases.Cms), "Codex.Cms",
            new Dictionary<string, string?> { ["Cms:Media:Root"] = _mediaRoot });
        return new Dictionary<string, string?> { [$"services:{ResourceNames.Services.Cms}:http:0"] = _cms.Address.ToString().TrimEnd('/') };
    }

    public override async ValueTask DisposeAsync()
    {
        var queue = _cms?.Services.GetRequiredService<IOptions<EventBusOptions>>().Value;
        await base.DisposeAsync();
        if (_cms is not null)
        {
            await _cms.DisposeAsync();
            await DeleteQueuesAsync(queue!);
        }
        if (Directory.Exists(_mediaRoot))
        {
            Directory.Delete(_mediaRoot, recursive: true);
        }
    }
}
