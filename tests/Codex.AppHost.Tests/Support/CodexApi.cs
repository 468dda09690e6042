using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.AppHost.Tests;

/// <summary>A tenant made through the gateway: its first API key (shown once) and its admin's sign-in.</summary>
public sealed record TenantAccess(string Id, string ApiKey, string AdminEmail, string AdminPassword);

/// <summary>The stack's public API, through the gateway, as a client of Codex uses it (plain JSON, no service types).</summary>
public sealed class CodexApi(HttpClient gateway)
{
    public const string AdminPassword = "Tenant-Admin-Pass-2026";

    public HttpClient Gateway { get; } = gateway;

    /// <summary>The platform's superadmin (the AppHost's Development defaults).</summary>
    public Task<string> SuperadminTokenAsync(CancellationToken ct) =>
        SignInAsync(null, Codex.AppHost.Dashboard.Superadmin.DefaultEmail, Codex.AppHost.Dashboard.Superadmin.DefaultPassword, ct);

    /// <summary>Signs in (with the tenant's key, or none for a superadmin) and answers the access token.</summary>
    public async Task<string> SignInAsync(string? apiKey, string email, string password, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password }) };
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        using var response = await Gateway.SendAsync(request, ct);
        return (await ReadAsync(response, ct)).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Creates a tenant (on <paramref name="plan"/>, or the default) as the superadmin; Platform provisions its admin in Auth.</summary>
    public async Task<TenantAccess> CreateTenantAsync(string superadminToken, CancellationToken ct, string? plan = null)
    {
        var id = $"t-{Guid.NewGuid():N}"[..14];
        var email = $"admin@{id}.test";
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/platform/tenants", superadminToken, null,
            new { id, name = $"Tenant {id}", adminEmail = email, adminPassword = AdminPassword, plan }, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ReadAsync(response, ct);
        return new TenantAccess(id, created.GetProperty("apiKey").GetString()!, email, AdminPassword);
    }

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, string? apiKey, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Gateway.SendAsync(request, ct);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string token, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token, null, null, ct);
        return await ReadAsync(response, ct);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls until <paramref name="condition"/> holds, or fails the test saying what was awaited.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within {within.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }
}
