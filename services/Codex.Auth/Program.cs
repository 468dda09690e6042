using Codex;
using Codex.Auth.Apis;
using Codex.Auth.Extensions;
using Codex.Auth.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    await AuthDatabase.MigrateAsync(app.Services);
    return;
}

app.MapDefaultEndpoints();
app.MapAuthEndpoints();
app.Run();
