using Codex.Contracts;
using Codex.Messaging.Tests.Support;
using Codex.Testing;
using RabbitMQ.Client;

namespace Codex.Messaging.Tests;

/// <summary>Nothing acknowledged is lost; nothing is applied twice.</summary>
public sealed class DeliveryTests(MessagingServers servers)
{
    [Fact]
    public async Task A_thousand_events_written_while_RabbitMQ_is_stopped_are_all_handled_exactly_once_after_it_restarts()
    {
        await using var service = await InProcessService.StartAsync(servers);

        await servers.Infrastructure.StopAsync(TestServers.RabbitMQ);
        try
        {
            for (var batch = 0; batch < 100; batch++)
            {
                await service.WriteAsync([.. Enumerable.Range(0, 10).Select(_ => StageChanged("acme-prod"))]);
            }
            Assert.Equal(1000, await service.UnsentAsync());
        }
        finally
        {
            await servers.Infrastructure.StartAsync(TestServers.RabbitMQ);
        }

        Assert.True(await TestInfrastructure.EventuallyAsync(
            async () => (await service.AppliedAsync()).Distinct == 1000, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500)),
            $"applied {await service.AppliedAsync()} of 1000");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal((1000, 1000), await service.AppliedAsync());
        Assert.Equal(0, await service.UnsentAsync());
    }

    [Fact]
    public async Task The_same_message_delivered_twice_has_one_effect()
    {
        await using var service = await InProcessService.StartAsync(servers);
        var envelope = RawBroker.Envelope(StageChanged("acme-prod"));

        await RawBroker.PublishAsync(servers, envelope, envelope);
        await RawBroker.PublishAsync(servers, RawBroker.Envelope(StageChanged("acme-prod")));

        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Distinct == 2, TimeSpan.FromSeconds(20)));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal((2, 2), await service.AppliedAsync());
    }

    [Fact]
    public async Task A_handler_that_fails_transiently_is_retried_and_applied_once()
    {
        await using var service = await InProcessService.StartAsync(servers);
        service.Behaviour.FailuresBeforeSuccess = 2;

        await service.WriteAsync(StageChanged("acme-prod"));

        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Total == 1, TimeSpan.FromSeconds(20)));
        Assert.Empty(await service.DeadLettersAsync());
    }

    [Fact]
    public async Task A_consumer_process_killed_mid_stream_gets_the_unacknowledged_messages_again_and_applies_each_once()
    {
        var database = await InProcessService.CreateSchemaAsync(servers);
        var serviceName = $"crm-{Guid.NewGuid():N}"[..12];
        var envelopes = Enumerable.Range(0, 300).Select(_ => RawBroker.Envelope(StageChanged("acme-prod"))).ToArray();

        await using (var first = await ServiceProcess.StartAsync(servers, database, serviceName))
        {
            await RawBroker.PublishAsync(servers, envelopes);
            Assert.True(await TestInfrastructure.EventuallyAsync(
                async () => (await InProcessService.AppliedAsync(database)).Total >= 40, TimeSpan.FromSeconds(60)));
            first.Kill();
        }
        var afterKill = await InProcessService.AppliedAsync(database);
        Assert.InRange(afterKill.Distinct, 40, 299);

        await using (await ServiceProcess.StartAsync(servers, database, serviceName))
        {
            Assert.True(await TestInfrastructure.EventuallyAsync(
                async () => (await InProcessService.AppliedAsync(database)).Distinct == 300, TimeSpan.FromSeconds(90)),
                $"applied {await InProcessService.AppliedAsync(database)} of 300");
        }

        Assert.Equal((300, 300), await InProcessService.AppliedAsync(database));
    }

    [Fact]
    public async Task Two_relays_on_one_outbox_publish_each_row_once_and_in_commit_order()
    {
        var database = await InProcessService.CreateSchemaAsync(servers);
        await using var connection = await servers.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("codex.events", "topic", durable: true);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, "codex.events", "crm.customer.created");
        await using var relayA = await InProcessService.StartAsync(servers, database, "crm-relay-a");
        await using var relayB = await InProcessService.StartAsync(servers, database, "crm-relay-b");
        var tenant = $"two-relays-{Guid.NewGuid():N}";

        for (var i = 0; i < 50; i++)
        {
            var writer = i % 2 == 0 ? relayA : relayB;
            await writer.WriteAsync([.. Enumerable.Range(0, 10).Select(j => new CustomerCreated(tenant, Guid.NewGuid(), $"customer {i * 10 + j:D3}"))]);
        }

        var received = new List<string>();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                var envelope = EventEnvelope.TryParse(message.Body.Span)!;
                received.Add(envelope.Data.GetProperty("name").GetString()!);
            }
            return received.Count >= 500;
        }, TimeSpan.FromSeconds(60)), $"received {received.Count} of 500");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } late)
        {
            received.Add(EventEnvelope.TryParse(late.Body.Span)!.Data.GetProperty("name").GetString()!);
        }

        Assert.Equal(500, received.Count);
        Assert.Equal(received.Order(StringComparer.Ordinal), received);
    }

    internal static LeadStageChanged StageChanged(string tenant) => new(tenant, Guid.NewGuid(), Guid.Empty, "new", "qualified", "open", "open", 100m, "EUR", 20);
}
