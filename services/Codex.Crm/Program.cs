using Codex.Crm.Apis;
using Codex.Crm.Extensions;
using Codex.Crm.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    await CrmDatabase.MigrateAsync(app.Services);
    return;
}

app.MapDefaultEndpoints();
app.MapCrmEndpoints();
app.Run();
