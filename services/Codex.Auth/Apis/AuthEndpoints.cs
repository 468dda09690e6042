namespace Codex.Auth.Apis;

/// <summary>Auth's request pipeline after the defaults: who the caller is, then every API.</summary>
public static class AuthEndpoints
{
    public static WebApplication MapAuthEndpoints(this WebApplication app)
    {
        // The client's address, as the gateway forwards it (trusted from loopback only, ASP.NET Core's default):
        // sessions, auth events and the attempt throttle all see the client, not the gateway.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor });
        app.UseCodexAuthentication();
        app.MapApiReference();
        app.MapSignInApi();
        app.MapAccountApi();
        app.MapUsersApi();
        app.MapRolesApi();
        app.MapApiKeysApi();
        app.MapInternalApi();
        app.MapServiceTokenApi();
        app.MapDeadLetterApi();
        return app;
    }
}
