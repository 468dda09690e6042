using Codex;
using Codex.Web.Api;
using Codex.Web.Components;
using Codex.Web.Extensions;
using Codex.Web.Session;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddConsoleServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseConsolePipeline();
app.MapAccountEndpoints();
app.MapMediaEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
