using Codex;
using Codex.Cms.Apis;
using Codex.Cms.Extensions;
using Codex.Cms.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    await app.Services.MigrateDatabaseAsync<CmsDbContext>(ResourceNames.Databases.Cms);
    return;
}

app.MapDefaultEndpoints();
app.MapCmsEndpoints();
app.Run();
