using Codex.Testing;
using Npgsql;
using RabbitMQ.Client;

namespace Codex.Messaging.Tests.Support;

/// <summary>
/// Servers of the messaging tests' own (TestServers: private data and ports), because some tests stop
/// RabbitMQ. Each test gets its own database and service name on them.
/// </summary>
public sealed class MessagingServers : IAsyncLifetime
{
    public TestServers Infrastructure { get; } = new();
    public string PostgresServer { get; private set; } = "";
    public string Messaging { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await Infrastructure.InitializeAsync();
        PostgresServer = Infrastructure.ConnectionString(TestServers.Postgres);
        Messaging = Infrastructure.ConnectionString(TestServers.RabbitMQ);
    }

    public ValueTask DisposeAsync() => Infrastructure.DisposeAsync();

    /// <summary>
    /// The broker login of the service a test service stands in for: <c>crm-1a2b</c> signs in as <c>crm</c>, with
    /// only that user's permissions, as a deployed service does. <see cref="Messaging"/> is the admin's.
    /// </summary>
    public string Login(string serviceName) => Infrastructure.ConnectionString(ResourceNames.MessagingLogin(serviceName.Split('-')[0]));

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => TestInfrastructure.CreateDatabaseAsync($"msg_{Guid.NewGuid():N}"[..16], PostgresServer);

    /// <summary>Waits until a service has declared its queue (it does so when its consumer starts).</summary>
    public async Task WaitForQueueAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        var declared = await TestInfrastructure.EventuallyAsync(async () =>
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeclarePassiveAsync(queue);
                return true;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60));
        Assert.True(declared, $"{queue} was never declared");
    }

    /// <summary>A connection for the test's own publishing and inspecting, outside any service.</summary>
    public Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { Uri = new Uri(Messaging), AutomaticRecoveryEnabled = true }.CreateConnectionAsync();
}
