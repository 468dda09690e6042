using Codex;
using Codex.Billing.Apis;
using Codex.Billing.Extensions;
using Codex.Billing.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (args.Contains("migrate"))
{
    await app.Services.MigrateDatabaseAsync<BillingDbContext>(ResourceNames.Databases.Billing);
    return;
}

app.MapDefaultEndpoints();
app.MapBillingEndpoints();
app.Run();
