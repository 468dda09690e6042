using Codex;
using Codex.Messaging.TestService;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTestService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTestService();
app.Run();
