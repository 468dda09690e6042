using Codex.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Codex.Messaging.TestService;

/// <summary>The service's wiring, shared by Program and the in-process tests.</summary>
public static class TestServiceHost
{
    public const string Database = "testdb";

    public static void AddTestService(this WebApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<TestServiceDbContext>(Database, CodexDbContextDefaults.Settings, CodexDbContextDefaults.Options);
        builder.AddEventBus<TestServiceDbContext>(ResourceNames.Messaging)
            .AddSubscription<LeadStageChanged, LeadStageChangedHandler>();
        builder.Services.AddSingleton(new HandlerBehaviour
        {
            Delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Test:HandlerDelayMs", 0)),
        });

        // Stand-in for Auth's token validation (issue 4): the role comes from a header.
        builder.Services.AddAuthentication(HeaderRoleAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderRoleAuthentication>(HeaderRoleAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy("superadmin", p => p.RequireRole("superadmin"));
    }

    public static void MapTestService(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDeadLetterApi();
    }
}
