namespace Codex.Platform.Apis;

/// <summary>Platform's pipeline after the defaults: who the caller is, then the superadmin APIs.</summary>
public static class PlatformEndpoints
{
    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        app.UseCodexAuthentication();
        app.MapApiReference();
        // The superadmin's view, whole: a tenant admin's token is refused on every route (403).
        var platform = app.MapGroup("/api/v1/platform").RequireAuthorization(Codex.Security.CodexClaims.SuperadminPolicy);
        platform.MapTenantsApi();
        platform.MapClientsApi();
        platform.MapLedgerApi();
        platform.MapEventsApi();
        platform.MapRegistryApi();
        platform.MapConfigApi();
        app.MapDeadLetterApi();
        return app;
    }
}
