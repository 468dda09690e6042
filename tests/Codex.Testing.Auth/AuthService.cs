using System.Net.Http.Headers;
using System.Net.Http.Json;
using Codex.Auth.Apis;
using Codex.Auth.Contracts;
using Codex.Auth.Extensions;
using Codex.Auth.Infrastructure;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Codex.Testing.Auth;

/// <summary>
/// Auth running in-process on real Kestrel, on a database of its own (migrated and seeded the way
/// the <c>migrate</c> step does it), against eng/test.sh's PostgreSQL and RabbitMQ.
/// </summary>
public sealed class AuthService : IAsyncLifetime
{
    public const string AdminEmail = "root@codex.test";
    public const string AdminPassword = "Root-Test-Password-2026!";
    public const string TenantPassword = "Tenant-Admin-Pass-2026";

    private TestApp? _app;
    private Uri? _address;

    public string Database { get; } = $"auth_{Guid.NewGuid():N}"[..20];

    /// <summary>The test's own view of the database (the admin's); the service signs in as its app role.</summary>
    public string ConnectionString => Roles.Admin;

    /// <summary>The database's logins, as the AppHost's migrate step makes them.</summary>
    public ServiceDatabase Roles { get; private set; } = null!;
    public string ServiceName { get; } = $"auth-{Guid.NewGuid():N}"[..13];
    public TestApp App => _app ?? throw new InvalidOperationException("Not started.");
    public HttpClient Client => App.Client;

    /// <summary>Settings a test class may change (throttle rules, token lifetimes).</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Every test signs in from 127.0.0.1: the per-address rule is tested by ThrottleTests on addresses of its own.
        ["Auth:Throttle:Source:Free"] = "1000000",
    };

    public async ValueTask InitializeAsync()
    {
        Roles = await TestInfrastructure.CreateServiceDatabaseAsync(Database);
        await StartAsync();
    }

    /// <summary>Starts (or, after <see cref="StopAsync"/>, restarts) the service on the same database and the same port.</summary>
    public async Task StartAsync()
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Databases.Auth}"] = Roles.App,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = TestInfrastructure.MessagingLogin(ResourceNames.Services.Auth),
            [$"ConnectionStrings:{ResourceNames.Cache}"] = TestInfrastructure.ConnectionString(ResourceNames.Cache),
            ["EventBus:ServiceName"] = ServiceName,
            ["EventBus:RelayPollInterval"] = "00:00:01",
            ["CODEX_ADMIN_EMAIL"] = AdminEmail,
            ["CODEX_ADMIN_PASSWORD"] = AdminPassword,
        };
        // Each Auth here is its own deployment on the shared Redis: its attempt counters are its own.
        configuration["Auth:Throttle:KeyPrefix"] = $"codex:auth:throttle:{ServiceName}:";
        foreach (var (key, value) in TestServiceIdentities.AuthClients.Concat(Settings))
        {
            configuration[key] = value;
        }
        await TestInfrastructure.MigrateAsync(Roles, ResourceNames.Databases.Auth, configuration,
            builder => builder.AddApplicationServices(), services => AuthDatabase.MigrateAsync(services));
        _app = await TestApp.StartAsync(
            configuration,
            builder => builder.AddApplicationServices(),
            app => app.MapAuthEndpoints(),
            applicationName: "Codex.Auth",
            url: _address is null ? "http://127.0.0.1:0" : _address.ToString().TrimEnd('/'));
        _address = _app.Address;
        await EventBusConsumers.WaitForAsync(_app.Services);
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>A tenant as Platform would create it: <c>platform.tenant.created</c> through RabbitMQ.</summary>
    public async Task<string> CreateTenantAsync(string? id = null, string plan = "pro")
    {
        id ??= $"t-{Guid.NewGuid():N}"[..14];
        await PublishAsync(new TenantCreated(id, $"Tenant {id}", "client-1", plan));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await ScalarAsync<long>($"SELECT count(*) FROM tenants WHERE id = '{id}' AND status = 'Active'") == 1, TimeSpan.FromSeconds(15)),
            $"tenant {id} did not reach the replica");
        return id;
    }

    /// <summary>Publishes an event as the service that owns it would (Platform's tenant events reach Auth's queue).</summary>
    public Task PublishAsync(IIntegrationEvent @event) => TestEvents.PublishAsync(TestEvents.FromOwner(@event));

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Signs in and answers the tokens (asserting success).</summary>
    public async Task<TokenResponse> LoginAsync(string email, string password, string? tenant = null, string? mfaCode = null)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, password, tenant, mfaCode));
        Assert.True(response.IsSuccessStatusCode, $"login {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    public Task<TokenResponse> LoginSuperadminAsync() => LoginAsync(AdminEmail, AdminPassword);

    /// <summary>A client that sends <paramref name="accessToken"/>, and optionally the gateway's tenant header.</summary>
    public HttpClient ClientWith(string accessToken, string? tenantHeader = null)
    {
        var client = new HttpClient { BaseAddress = App.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (tenantHeader is not null)
        {
            client.DefaultRequestHeaders.Add(CodexHeaders.TenantId, tenantHeader);
        }
        return client;
    }

    /// <summary>A new tenant with an admin signed in: the usual start of a tenant-side test.</summary>
    public async Task<TenantAdmin> CreateTenantWithAdminAsync(string plan = "pro")
    {
        var tenant = await CreateTenantAsync(plan: plan);
        var email = $"admin@{tenant}.test";
        await CreateUserAsync(tenant, email, TenantPassword, ["admin"]);
        var tokens = await LoginAsync(email, TenantPassword, tenant);
        return new TenantAdmin(tenant, email, tokens, ClientWith(tokens.AccessToken));
    }

    /// <summary>Creates a user in <paramref name="tenant"/> as the superadmin.</summary>
    public async Task<UserDto> CreateUserAsync(string tenant, string email, string? password, IReadOnlyList<string>? roles = null)
    {
        var root = await LoginSuperadminAsync();
        using var client = ClientWith(root.AccessToken, tenant);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, password, roles));
        Assert.True(response.IsSuccessStatusCode, $"create {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<UserDto>())!;
    }

    /// <summary>The data of the newest outbox event of <paramref name="type"/>, or null when there is none.</summary>
    public async Task<System.Text.Json.JsonElement?> LastEventAsync(string type)
    {
        var envelope = await ScalarAsync<object?>($"SELECT envelope::text FROM outbox_messages WHERE event_type = '{type}' ORDER BY sequence DESC LIMIT 1");
        return envelope is string json ? System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("data").Clone() : null;
    }

    /// <summary>How many outbox events of <paramref name="type"/> exist.</summary>
    public Task<long> EventCountAsync(string type) =>
        ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE event_type = '{type}'");
}

public sealed record TenantAdmin(string Tenant, string Email, TokenResponse Tokens, HttpClient Client);
