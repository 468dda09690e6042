namespace Codex.Auth.Apis;

/// <summary>Auth's request pipeline after the defaults: who the caller is, then every API.</summary>
public static class AuthEndpoints
{
    public static WebApplication MapAuthEndpoints(this WebApplication app)
    {
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
