using Codex.Platform.Apis;
using Codex.Platform.Extensions;
using Codex.Platform.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    await PlatformDatabase.MigrateAsync(app.Services);
    return;
}

app.MapDefaultEndpoints();
app.MapPlatformEndpoints();
app.Run();
