using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;
using Codex.Gateway.Extensions;
using Codex.Platform.Apis;
using Codex.Platform.Contracts;
using Codex.Platform.Extensions;
using Codex.Platform.Infrastructure;
using Codex.Testing;
using Codex.Testing.Auth;
using Codex.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;

namespace Codex.Testing.Platform;

/// <summary>
/// Auth, Platform (on a cdxdb of its own) and the gateway in front of both, each started for real on
/// Kestrel, with eng/test.sh's PostgreSQL, Redis and RabbitMQ. Reconciliation runs on demand only.
/// A derived stack starts more services (CRM, a stand-in) before Platform; Platform and the gateway both see them.
/// </summary>
public class PlatformStack : IAsyncLifetime
{
    public AuthService Auth { get; } = new();
    public TestApp Platform { get; private set; } = null!;
    public TestApp Gateway { get; private set; } = null!;
    public string Database { get; } = $"cdx_{Guid.NewGuid():N}"[..20];

    /// <summary>The test's own view of cdxdb (the admin's); Platform signs in as its app role.</summary>
    public string ConnectionString => Roles.Admin;

    public ServiceDatabase Roles { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        await Auth.InitializeAsync();
        Roles = await TestInfrastructure.CreateServiceDatabaseAsync(Database);
        var authAddress = Auth.App.Address.ToString().TrimEnd('/');
        var downstream = await StartDownstreamAsync();

        var platformSettings = new Dictionary<string, string?>(downstream)
            {
                [$"ConnectionStrings:{ResourceNames.Databases.Platform}"] = Roles.App,
                [$"ConnectionStrings:{ResourceNames.Messaging}"] = TestInfrastructure.MessagingLogin(ResourceNames.Services.Platform),
                [$"ConnectionStrings:{ResourceNames.Cache}"] = TestInfrastructure.ConnectionString(ResourceNames.Cache),
                ["services:auth:http:0"] = authAddress,
                // Auth's events carry its (per-fixture) bus name as their source: the registry learns it under that name too.
                [$"services:{Auth.ServiceName}:http:0"] = authAddress,
                ["EventBus:ServiceName"] = $"platform-{Guid.NewGuid():N}"[..17],
                ["EventBus:RelayPollInterval"] = "00:00:01",
                ["Platform:Provisioning:PollInterval"] = "00:00:00.500",
                ["Platform:Provisioning:MaxBackoff"] = "00:00:01",
                ["Platform:Registry:PollInterval"] = "00:00:01",
                ["Platform:Reconciliation:Enabled"] = "false",
                [TestServiceIdentities.For(ResourceNames.Services.Platform).Key] = TestServiceIdentities.Secret(ResourceNames.Services.Platform),
                // A short attempt budget: provisioning must notice a stopped Auth quickly.
                ["Resilience:Http:TotalRequestTimeout"] = "00:00:05",
                ["Resilience:Http:AttemptTimeout"] = "00:00:02",
            };
        await TestInfrastructure.MigrateAsync(Roles, ResourceNames.Databases.Platform, platformSettings,
            builder => builder.AddApplicationServices(), services => services.MigrateDatabaseAsync<PlatformDbContext>(ResourceNames.Databases.Platform));
        Platform = await TestApp.StartAsync(
            platformSettings,
            builder => builder.AddApplicationServices(),
            app => app.MapPlatformEndpoints(),
            applicationName: "Codex.Platform");
        await EventBusConsumers.WaitForAsync(Platform.Services);

        Gateway = await TestApp.StartAsync(
            new Dictionary<string, string?>(downstream)
            {
                ["services:auth:http:0"] = authAddress,
                ["services:platform:http:0"] = Platform.Address.ToString().TrimEnd('/'),
                [$"ConnectionStrings:{ResourceNames.Cache}"] = TestInfrastructure.ConnectionString(ResourceNames.Cache),
                [$"ConnectionStrings:{ResourceNames.Messaging}"] = TestInfrastructure.MessagingLogin(ResourceNames.Services.Gateway),
                ["EventBus:ServiceName"] = $"gateway-{Guid.NewGuid():N}"[..16],
                [TestServiceIdentities.For(ResourceNames.Services.Gateway).Key] = TestServiceIdentities.Secret(ResourceNames.Services.Gateway),
            },
            builder => builder.AddGateway(),
            app => app.MapGateway(),
            applicationName: "Codex.Gateway");
    }

    /// <summary>Services a derived stack starts before Platform; answers the settings that point Platform and the gateway at them.</summary>
    protected virtual Task<IDictionary<string, string?>> StartDownstreamAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>
    /// A Codex service (CRM, CMS) for a derived stack: on a database of its own (<paramref name="database"/>, created
    /// here, migrated as the AppHost's migrate step would), signed in to the broker and to Auth as itself.
    /// </summary>
    protected async Task<(TestApp App, ServiceDatabase Roles, IDictionary<string, string?> Settings)> StartServiceAsync(
        string service, string databaseResource, string database, Action<WebApplicationBuilder> addServices, Action<WebApplication> mapEndpoints,
        Func<IServiceProvider, Task> migrate, string applicationName, IDictionary<string, string?>? more = null)
    {
        var roles = await TestInfrastructure.CreateServiceDatabaseAsync(database);
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{databaseResource}"] = roles.App,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = TestInfrastructure.MessagingLogin(service),
            [$"ConnectionStrings:{ResourceNames.Cache}"] = TestInfrastructure.ConnectionString(ResourceNames.Cache),
            ["services:auth:http:0"] = Auth.App.Address.ToString().TrimEnd('/'),
            ["EventBus:ServiceName"] = $"{service}-{Guid.NewGuid():N}"[..(service.Length + 9)],
            [TestServiceIdentities.For(service).Key] = TestServiceIdentities.Secret(service),
            ["EventBus:RelayPollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        await TestInfrastructure.MigrateAsync(roles, databaseResource, settings, addServices, migrate);
        var app = await TestApp.StartAsync(settings, addServices, mapEndpoints, applicationName: applicationName);
        return (app, roles, settings);
    }

    public virtual async ValueTask DisposeAsync()
    {
        var queue = Platform.Services.GetRequiredService<IOptions<EventBusOptions>>().Value;
        await Gateway.DisposeAsync();
        await Platform.DisposeAsync();
        await Auth.DisposeAsync();
        // Bound to every event type, a leftover queue would fill with every later test's events.
        await DeleteQueuesAsync(queue);
    }

    /// <summary>Deletes a stopped service's queue and dead-letter queue, so later tests' events do not pile up there.</summary>
    protected static async Task DeleteQueuesAsync(EventBusOptions queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestInfrastructure.ConnectionString(ResourceNames.Messaging)) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue.Queue);
        await channel.QueueDeleteAsync(queue.DeadLetterQueue);
    }

    /// <summary>The superadmin, signed in, talking to the gateway.</summary>
    public async Task<HttpClient> SuperadminAsync()
    {
        var tokens = await Auth.LoginSuperadminAsync();
        return GatewayClient(bearer: tokens.AccessToken);
    }

    public HttpClient GatewayClient(string? key = null, string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }
        return client;
    }

    public static string NewTenantId() => $"t-{Guid.NewGuid():N}"[..14];

    /// <summary>Creates a tenant through the gateway as the superadmin (asserting it is provisioned) and signs its admin in.</summary>
    public async Task<ProvisionedTenant> CreateTenantAsync(string? id = null)
    {
        id ??= NewTenantId();
        using var root = await SuperadminAsync();
        var email = $"admin@{id}.test";
        using var response = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(id, $"Tenant {id}", email, AuthService.TenantPassword));
        var created = await response.ReadAsync<CreatedTenant>();
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(created.ApiKey);
        using var login = GatewayClient(key: created.ApiKey);
        using var signIn = await login.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, AuthService.TenantPassword));
        var tokens = await signIn.ReadAsync<TokenResponse>();
        return new ProvisionedTenant(id, email, created.ApiKey!, tokens, GatewayClient(created.ApiKey, tokens.AccessToken));
    }

    public async Task<JsonElement> SummaryAsync(string tenantId, bool lineage = false)
    {
        using var root = await SuperadminAsync();
        using var response = await root.GetAsync($"/api/v1/platform/tenants/{tenantId}/summary{(lineage ? "?lineage=true" : "")}");
        return await response.ReadAsync<JsonElement>();
    }

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<T>(ConnectionString, sql, parameters);

    /// <summary>One value from the database at <paramref name="connectionString"/> (cdxdb, or a derived stack's own).</summary>
    protected static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Publishes envelopes onto <c>codex.events</c> as a service's outbox relay does (routing key = type).</summary>
    public static Task PublishAsync(params EventEnvelope[] envelopes) => TestEvents.PublishAsync(envelopes);

    public Task<long> AuditCountAsync(string tenantId, string type) =>
        ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE tenant_id = @t AND type = @type", ("t", tenantId), ("type", type));
}

/// <summary>A tenant made through Platform: its id, its admin (signed in) and its first API key.</summary>
public sealed record ProvisionedTenant(string Id, string AdminEmail, string ApiKey, TokenResponse AdminTokens, HttpClient Admin)
{
    /// <summary>A new API key of this tenant with <paramref name="scopes"/>, made by its admin; the key's secret.</summary>
    public async Task<string> NewKeyAsync(params string[] scopes)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/auth/api-keys", new CreateApiKeyRequest("site", scopes));
        return (await response.ReadAsync<CreatedApiKey>()).Key;
    }
}
