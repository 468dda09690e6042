using Codex;
using Codex.Crm.Apis;
using Codex.Crm.Extensions;
using Codex.Crm.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    // Pipelines are seeded per tenant from platform.tenant.created, so migrating is all this step does.
    await app.Services.MigrateDatabaseAsync<CrmDbContext>(ResourceNames.Databases.Crm);
    return;
}

app.MapDefaultEndpoints();
app.MapCrmEndpoints();
app.Run();
