using System.Net.Http.Json;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Messaging.TestService;
using Codex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;

namespace Codex.Messaging.Tests.Support;

/// <summary>The test service running in-process on its own database and queue.</summary>
public sealed class InProcessService : IAsyncDisposable
{
    private InProcessService(TestApp app, string database, string serviceName, MessagingServers servers)
    {
        App = app;
        Database = database;
        ServiceName = serviceName;
        Servers = servers;
    }

    public TestApp App { get; }
    public string Database { get; }
    public string ServiceName { get; }
    public MessagingServers Servers { get; }
    public string Queue => $"codex.{ServiceName}";
    public string DeadLetterQueue => $"codex.{ServiceName}.dlq";
    public HandlerBehaviour Behaviour => App.Services.GetRequiredService<HandlerBehaviour>();

    public static async Task<InProcessService> StartAsync(MessagingServers servers, string? database = null,
        string? serviceName = null, IDictionary<string, string?>? settings = null)
    {
        database ??= await CreateSchemaAsync(servers);
        // The test service writes CRM's events, so it is a CRM (a second deployment's name: crm-<suffix>).
        serviceName ??= $"crm-{Guid.NewGuid():N}"[..12];
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{TestServiceHost.Database}"] = database,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = servers.Login(serviceName),
            ["EventBus:ServiceName"] = serviceName,
            ["EventBus:RetryBaseDelay"] = "00:00:00.020",
            ["EventBus:RelayMaxBackoff"] = "00:00:01",
            ["EventBus:RelayPollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var app = await TestApp.StartAsync(configuration, builder => builder.AddTestService(), app => app.MapTestService());
        var service = new InProcessService(app, database, serviceName, servers);
        await servers.WaitForQueueAsync(service.Queue);
        return service;
    }

    /// <summary>A database with the test service's tables (its "migration").</summary>
    public static async Task<string> CreateSchemaAsync(MessagingServers servers)
    {
        var database = await servers.CreateDatabaseAsync();
        var options = new DbContextOptionsBuilder<TestServiceDbContext>().UseNpgsql(database).Options;
        await using var db = new TestServiceDbContext(options);
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    /// <summary>Writes events through the outbox, as a service's API handler would.</summary>
    public async Task WriteAsync(params IIntegrationEvent[] events)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IEventOutbox>().SaveChangesAsync(events);
    }

    public Task<(long Total, long Distinct)> AppliedAsync() => AppliedAsync(Database);

    public static async Task<(long Total, long Distinct)> AppliedAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT event_id) FROM applied_events", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<long> UnsentAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>A request to the dead-letter API; <paramref name="path"/> follows <c>…/admin/dead-letters</c>.</summary>
    public HttpRequestMessage AdminRequest(HttpMethod method, string path, string? role = "superadmin") =>
        AdminApiRequest(method, $"dead-letters{path}", role);

    public HttpRequestMessage OutboxRequest(string? role = "superadmin") => AdminApiRequest(HttpMethod.Get, "outbox", role);

    private HttpRequestMessage AdminApiRequest(HttpMethod method, string path, string? role)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/{ServiceName}/admin/{path}");
        if (role is not null)
        {
            request.Headers.Add(HeaderRoleAuthentication.Header, role);
        }
        return request;
    }

    public async Task<List<Admin.DeadLetter>> DeadLettersAsync()
    {
        using var response = await App.Client.SendAsync(AdminRequest(HttpMethod.Get, ""));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<Admin.DeadLetter>>())!;
    }

    public async Task<Admin.OutboxBacklog> OutboxAsync()
    {
        using var response = await App.Client.SendAsync(OutboxRequest());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Admin.OutboxBacklog>())!;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            await using var connection = await Servers.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(Queue);
            await channel.QueueDeleteAsync(DeadLetterQueue);
        }
        catch (Exception)
        {
            // Best effort: a test that stopped RabbitMQ may leave it restarting.
        }
    }
}
