using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;
using Codex.Auth.Services;
using Codex.Testing.Auth;

namespace Codex.Auth.Tests;

public sealed class ObservabilityTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task Sign_ins_are_counted_by_tenant_and_result_on_the_Codex_Auth_meter()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var seen = new ConcurrentBag<(string Result, string Tenant)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AuthMetrics.MeterName && instrument.Name == "codex.auth.logins")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString() ?? "");
            seen.Add((values["result"], values["tenant"]));
        });
        listener.Start();

        await auth.LoginAsync(admin.Email, AuthService.TenantPassword, admin.Tenant);
        using var failed = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, "a-wrong-password!", admin.Tenant));

        Assert.Contains(("success", admin.Tenant), seen);
        Assert.Contains(("invalid_credentials", admin.Tenant), seen);
    }

    [Fact]
    public async Task The_service_serves_its_OpenAPI_document_with_the_stable_paths()
    {
        var document = await auth.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.Contains("/api/v1/auth/refresh", paths);
        Assert.Contains("/api/v1/auth/me", paths);
        Assert.Contains("/api/v1/auth/users", paths);
    }
}
