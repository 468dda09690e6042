using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Gateway.Extensions;
using Codex.Security;
using Codex.Security.Tenancy;
using Codex.Testing;
using Codex.Testing.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Codex.Gateway.Tests;

/// <summary>
/// The gateway in front of a real Auth and a real downstream service ("crm": Codex token validation,
/// an echo, a slow and an upload endpoint), with "billing" configured at an address where nothing
/// listens. Redis and RabbitMQ are eng/test.sh's.
/// </summary>
public class GatewayStack : IAsyncLifetime
{
    public const string ConsoleOrigin = "https://console.example";

    public AuthService Auth { get; } = new();
    public TestApp Crm { get; private set; } = null!;
    public TestApp Gateway { get; private set; } = null!;
    public HttpClient Client => Gateway.Client;

    /// <summary>The plan whose limits are small enough to reach in a test.</summary>
    public const string TinyPlan = "tiny";

    /// <summary>The Redis the gateway uses (eng/test.sh's, unless a derived stack brings its own).</summary>
    protected virtual Task<string> CacheConnectionStringAsync() => Task.FromResult(TestInfrastructure.ConnectionString(ResourceNames.Cache));

    /// <summary>Gateway settings a derived stack adds.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraGatewaySettings => [];

    public virtual async ValueTask InitializeAsync()
    {
        await Auth.InitializeAsync();
        var authAddress = Auth.App.Address.ToString().TrimEnd('/');
        Crm = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["services:auth:http:0"] = authAddress },
            builder => builder.AddCodexAuthentication(),
            app =>
            {
                app.UseCodexAuthentication();
                app.MapGet("/api/v1/crm/echo", (HttpContext context, TenantContext tenant) => Results.Ok(new Echo(
                    tenant.TenantId,
                    context.Request.Headers[CodexHeaders.TenantId].ToString(),
                    context.Request.Headers["X-Request-Id"].ToString(),
                    context.Request.Headers["X-Codex-Internal"].ToString(),
                    context.Request.Headers.Authorization.Count > 0)));
                app.MapGet("/api/v1/crm/slow", async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    return Results.Ok();
                });
                app.MapPost("/api/v1/crm/upload", async (HttpContext context) =>
                {
                    using var reader = new StreamReader(context.Request.Body);
                    return Results.Ok((await reader.ReadToEndAsync()).Length);
                });
            },
            applicationName: "Codex.Crm");

        var gatewaySettings = new Dictionary<string, string?>
        {
            ["services:auth:http:0"] = authAddress,
            ["services:crm:http:0"] = Crm.Address.ToString().TrimEnd('/'),
            ["services:billing:http:0"] = $"http://127.0.0.1:{TestInfrastructure.FreeTcpPort()}",
            [$"ConnectionStrings:{ResourceNames.Cache}"] = await CacheConnectionStringAsync(),
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = TestInfrastructure.MessagingLogin(ResourceNames.Services.Gateway),
            ["EventBus:ServiceName"] = $"gateway-{Guid.NewGuid():N}"[..16],
            [TestServiceIdentities.For(ResourceNames.Services.Gateway).Key] = TestServiceIdentities.Secret(ResourceNames.Services.Gateway),
            ["Gateway:Services:crm:Timeout"] = "00:00:01",
            ["Gateway:Services:crm:MaxRequestBodySize"] = "1024",
            ["Gateway:CorsOrigins:0"] = ConsoleOrigin,
            [$"Gateway:RateLimits:Plans:{TinyPlan}:KeyPerSecond"] = "0.2",
            [$"Gateway:RateLimits:Plans:{TinyPlan}:KeyBurst"] = "3",
            [$"Gateway:RateLimits:Plans:{TinyPlan}:TenantPerSecond"] = "0.2",
            [$"Gateway:RateLimits:Plans:{TinyPlan}:TenantBurst"] = "4",
        };
        foreach (var (key, value) in ExtraGatewaySettings)
        {
            gatewaySettings[key] = value;
        }
        Gateway = await TestApp.StartAsync(
            gatewaySettings,
            builder => builder.AddGateway(),
            app => app.MapGateway(),
            applicationName: "Codex.Gateway");
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Crm.DisposeAsync();
        await Auth.DisposeAsync();
    }

    /// <summary>A tenant with a signed-in admin and an API key.</summary>
    public async Task<TenantWithKey> TenantWithKeyAsync(string plan = "pro")
    {
        var admin = await Auth.CreateTenantWithAdminAsync(plan);
        var (key, id) = await NewKeyAsync(admin);
        return new TenantWithKey(admin, key, id);
    }

    /// <summary>Another key of the same tenant.</summary>
    public async Task<(string Key, Guid Id)> NewKeyAsync(TenantAdmin admin)
    {
        using var response = await admin.Client.PostAsJsonAsync("/api/v1/auth/api-keys", new CreateApiKeyRequest("gateway tests", ["crm.*", "billing.*"]));
        var created = await response.ReadAsync<CreatedApiKey>();
        return (created.Key, created.ApiKey.Id);
    }

    /// <summary>A request through the gateway with an optional key, bearer and extra headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = null, string? bearer = null,
        IDictionary<string, string>? headers = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return Client.SendAsync(request);
    }
}

public sealed record Echo(string? Tenant, string TenantHeader, string RequestId, string Internal, bool HadBearer);

public sealed record TenantWithKey(TenantAdmin Admin, string Key, Guid KeyId)
{
    public string Tenant => Admin.Tenant;
}
