using Codex.Messaging.Tests.Support;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Svc = Codex.ResourceNames.Services;

namespace Codex.Messaging.Tests;

/// <summary>
/// Each service's own RabbitMQ user, as the AppHost's broker defines it: what the broker lets it do and what it
/// refuses (403 ACCESS_REFUSED), whatever the client asks. The service side of it (declare, publish, consume,
/// dead-letter, replay as crm) runs in every other test of this assembly.
/// </summary>
public sealed class BrokerPermissionsTests(MessagingServers servers) : IAsyncLifetime
{
    private readonly string _crm = $"crm-{Guid.NewGuid():N}"[..12];
    private readonly string _auth = $"auth-{Guid.NewGuid():N}"[..13];

    public async ValueTask InitializeAsync()
    {
        // Auth's queues exist, declared by Auth itself, as in a running stack.
        await AllowedAsync(Svc.Auth, channel => DeclareQueuesAsync(channel, _auth));
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = await servers.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var service in new[] { _crm, _auth })
        {
            await channel.QueueDeleteAsync(EventBusNames.Queue(service));
            await channel.QueueDeleteAsync(EventBusNames.DeadLetterQueue(service));
        }
    }

    [Fact]
    public async Task A_service_declares_its_own_queues_publishes_its_own_and_shared_events_and_reads_its_own_queues()
    {
        await AllowedAsync(Svc.Crm, async channel =>
        {
            await DeclareQueuesAsync(channel, _crm);
            await channel.QueueBindAsync(EventBusNames.Queue(_crm), EventBusNames.Exchange, "auth.user.deactivated");
            await PublishAsync(channel, EventBusNames.Exchange, "crm.lead.created");
            await PublishAsync(channel, EventBusNames.Exchange, "auth.permission.denied");
            await PublishAsync(channel, EventBusNames.DeadLetterExchange, EventBusNames.Queue(_crm));
            await PublishAsync(channel, EventBusNames.DeadLetterExchange, EventBusNames.ReplayRoutingKey(_crm));
            await channel.BasicGetAsync(EventBusNames.Queue(_crm), autoAck: true);
            await channel.BasicGetAsync(EventBusNames.DeadLetterQueue(_crm), autoAck: true);
        });
    }

    [Fact]
    public async Task A_service_cannot_publish_another_services_events()
    {
        var refused = await RefusedAsync(Svc.Crm, channel => PublishAsync(channel, EventBusNames.Exchange, "auth.user.deactivated"));

        Assert.Contains("access to topic 'auth.user.deactivated'", refused);
    }

    [Fact]
    public async Task A_service_cannot_deliver_into_another_services_queue_by_any_exchange()
    {
        // The default exchange delivers to any queue by name; the dead-letter exchange by routing key.
        Assert.Contains("exchange 'amq.default'", await RefusedAsync(Svc.Crm, channel => PublishAsync(channel, "", EventBusNames.Queue(_auth))));
        Assert.Contains("access to topic", await RefusedAsync(Svc.Crm,
            channel => PublishAsync(channel, EventBusNames.DeadLetterExchange, EventBusNames.ReplayRoutingKey(_auth))));
        Assert.Contains("access to topic", await RefusedAsync(Svc.Crm,
            channel => PublishAsync(channel, EventBusNames.DeadLetterExchange, EventBusNames.Queue(_auth))));
        Assert.Contains("exchange 'amq.topic'", await RefusedAsync(Svc.Crm, channel => PublishAsync(channel, "amq.topic", "auth.user.deactivated")));
    }

    [Fact]
    public async Task A_service_cannot_read_bind_declare_or_delete_another_services_queues()
    {
        var queue = EventBusNames.Queue(_auth);
        var deadLetters = EventBusNames.DeadLetterQueue(_auth);

        Assert.Contains($"queue '{queue}'", await RefusedAsync(Svc.Crm, channel => channel.BasicGetAsync(queue, autoAck: true)));
        Assert.Contains($"queue '{deadLetters}'", await RefusedAsync(Svc.Crm, channel => channel.BasicGetAsync(deadLetters, autoAck: true)));
        Assert.Contains($"queue '{queue}'", await RefusedAsync(Svc.Crm, channel => channel.QueueBindAsync(queue, EventBusNames.Exchange, "#")));
        Assert.Contains($"queue '{queue}'", await RefusedAsync(Svc.Crm, channel => channel.QueuePurgeAsync(queue)));
        Assert.Contains($"queue '{queue}'", await RefusedAsync(Svc.Crm, channel => channel.QueueDeleteAsync(queue)));
        // Nor a queue that only looks like its own, nor one it could bind to every event and read.
        Assert.Contains("queue 'codex.crmx'", await RefusedAsync(Svc.Crm, channel => channel.QueueDeclareAsync("codex.crmx", durable: false, exclusive: false, autoDelete: true)));
        Assert.Contains("queue 'spy'", await RefusedAsync(Svc.Crm, channel => channel.QueueDeclareAsync("spy", durable: false, exclusive: true, autoDelete: true)));
        Assert.Contains("access to topic '#'", await RefusedAsync(Svc.Crm,
            channel => channel.QueueBindAsync(EventBusNames.Queue(_crm), EventBusNames.DeadLetterExchange, "#"), declareOwn: true));
    }

    [Fact]
    public async Task Only_the_services_an_event_with_a_token_is_for_may_bind_it_and_no_one_may_bind_a_wildcard()
    {
        const string reset = "auth.password_reset.requested";
        Assert.Equal(new[] { Svc.Platform, Svc.Notifications }, Contracts.EventTypes.Confidential[reset]);
        Assert.DoesNotContain(reset, Contracts.EventTypes.ReadableBy(_crm));
        Assert.Contains(reset, Contracts.EventTypes.ReadableBy("platform-eu"));

        foreach (var binding in new[] { reset, "auth.user.invited", "#", "auth.*", "auth.#", "*.*.*" })
        {
            Assert.Contains($"access to topic '{binding}'", await RefusedAsync(Svc.Crm,
                channel => channel.QueueBindAsync(EventBusNames.Queue(_crm), EventBusNames.Exchange, binding), declareOwn: true));
        }
        var platform = $"platform-{Guid.NewGuid():N}"[..17];
        await using var connection = await new ConnectionFactory { Uri = new Uri(servers.Login(platform)) }.CreateConnectionAsync();
        await using var channel = await OpenAsync(connection);
        await DeclareQueuesAsync(channel, platform);
        await channel.QueueBindAsync(EventBusNames.Queue(platform), EventBusNames.Exchange, reset);
        await channel.QueueDeleteAsync(EventBusNames.Queue(platform));
        await channel.QueueDeleteAsync(EventBusNames.DeadLetterQueue(platform));
    }

    [Fact]
    public async Task A_service_user_has_no_other_password_and_no_administration()
    {
        var login = new Uri(servers.Login(_crm));
        var wrongPassword = new UriBuilder(login) { Password = "not-the-password" }.Uri;

        await Assert.ThrowsAsync<BrokerUnreachableException>(() => new ConnectionFactory { Uri = wrongPassword }.CreateConnectionAsync());
        // The broker's exchanges stay the broker's: no service may redeclare or delete them.
        Assert.Contains("exchange 'codex.events'", await RefusedAsync(Svc.Crm, channel => channel.ExchangeDeleteAsync(EventBusNames.Exchange)));
        Assert.Contains("exchange 'codex.events'", await RefusedAsync(Svc.Crm,
            channel => channel.ExchangeDeclareAsync(EventBusNames.Exchange, ExchangeType.Topic, durable: true)));
    }

    private static async Task DeclareQueuesAsync(IChannel channel, string service)
    {
        await channel.ExchangeDeclarePassiveAsync(EventBusNames.Exchange);
        await channel.ExchangeDeclarePassiveAsync(EventBusNames.DeadLetterExchange);
        await channel.QueueDeclareAsync(EventBusNames.DeadLetterQueue(service), durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(EventBusNames.DeadLetterQueue(service), EventBusNames.DeadLetterExchange, EventBusNames.Queue(service));
        await channel.QueueDeclareAsync(EventBusNames.Queue(service), durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(EventBusNames.Queue(service), EventBusNames.DeadLetterExchange, EventBusNames.ReplayRoutingKey(service));
    }

    // Publisher confirms make a refused publish fail here, not on some later call.
    private static async Task PublishAsync(IChannel channel, string exchange, string routingKey) =>
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties(), "{}"u8.ToArray());

    private static async Task<IChannel> OpenAsync(IConnection connection) =>
        await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    private Task<IConnection> ConnectAsync(string service) =>
        new ConnectionFactory { Uri = new Uri(servers.Login(service == Svc.Crm ? _crm : _auth)) }.CreateConnectionAsync();

    private async Task AllowedAsync(string service, Func<IChannel, Task> act)
    {
        await using var connection = await ConnectAsync(service);
        await using var channel = await OpenAsync(connection);
        await act(channel);
        await channel.CloseAsync();
    }

    /// <summary>Runs <paramref name="act"/> as the service; returns the broker's reason for refusing it (a 403).</summary>
    private async Task<string> RefusedAsync(string service, Func<IChannel, Task> act, bool declareOwn = false)
    {
        await using var connection = await ConnectAsync(service);
        await using var channel = await OpenAsync(connection);
        if (declareOwn)
        {
            await DeclareQueuesAsync(channel, service == Svc.Crm ? _crm : _auth);
        }
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => act(channel));
        var reason = (failure as OperationInterruptedException)?.ShutdownReason ?? (failure as AlreadyClosedException)?.ShutdownReason
            ?? channel.CloseReason;
        Assert.NotNull(reason);
        Assert.Equal(403, reason.ReplyCode);
        return reason.ReplyText;
    }
}
