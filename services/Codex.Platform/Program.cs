using Codex;
using Codex.Platform.Apis;
using Codex.Platform.Extensions;
using Codex.Platform.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    // The service registry fills itself from configuration at run time, so migrating is all this step does.
    await app.Services.MigrateDatabaseAsync<PlatformDbContext>(ResourceNames.Databases.Platform);
    return;
}

app.MapDefaultEndpoints();
app.MapPlatformEndpoints();
app.Run();
