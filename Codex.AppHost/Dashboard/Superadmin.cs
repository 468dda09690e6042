using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Codex.AppHost.Dashboard;

/// <summary>
/// The platform's first superadmin: Auth seeds it from these parameters, and the dashboard's commands act as it.
/// Locally admin@codex.local / Codex-Dev-Admin-2026! unless <c>Parameters:admin-email</c> or
/// <c>Parameters:admin-password</c> say otherwise; on deploy the password is generated (azd asks for none).
/// </summary>
public sealed record Superadmin(IResourceBuilder<ParameterResource> Email, IResourceBuilder<ParameterResource> Password)
{
    public const string DefaultEmail = "admin@codex.local";
    public const string DefaultPassword = "Codex-Dev-Admin-2026!";

    public static Superadmin Add(IDistributedApplicationBuilder builder)
    {
        // Parameters:admin-email / admin-password, else eng/dev.sh's CODEX_ADMIN_EMAIL / CODEX_ADMIN_PASSWORD.
        string Config(string key, string variable, string fallback) =>
            builder.Configuration[$"Parameters:{key}"] ?? builder.Configuration[variable] ?? fallback;
        var password = builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter("admin-password", new GenerateParameterDefault { MinLower = 1, MinUpper = 1, MinNumeric = 1, MinSpecial = 1 }, secret: true)
            : builder.AddParameter("admin-password", () => Config("admin-password", "CODEX_ADMIN_PASSWORD", DefaultPassword), secret: true);
        var email = builder.AddParameter("admin-email", () => Config("admin-email", "CODEX_ADMIN_EMAIL", DefaultEmail), publishValueAsDefault: true);
        return new(email, password);
    }

    /// <summary>
    /// Signs in at Auth (<paramref name="auth"/>'s http endpoint), runs <paramref name="act"/> with a client that
    /// carries the token, then signs out: each command is one audited superadmin session.
    /// </summary>
    public async Task<T> ActAsync<T>(EndpointReference auth, Func<HttpClient, Task<T>> act, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var login = await http.PostAsJsonAsync(new Uri(new Uri(auth.Url), "/api/v1/auth/login"), new
        {
            email = await Email.Resource.GetValueAsync(ct),
            password = await Password.Resource.GetValueAsync(ct),
        }, ct);
        if (!login.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The superadmin could not sign in at Auth ({(int)login.StatusCode}): {await login.Content.ReadAsStringAsync(ct)}");
        }
        var token = (await login.Content.ReadFromJsonAsync<TokenAnswer>(ct))!.AccessToken;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await act(http);
        }
        finally
        {
            using var logout = await http.PostAsync(new Uri(new Uri(auth.Url), "/api/v1/auth/logout"), null, CancellationToken.None);
        }
    }

    private sealed record TokenAnswer(string AccessToken);
}
