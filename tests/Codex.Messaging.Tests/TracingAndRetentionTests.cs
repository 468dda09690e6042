using System.Collections.Concurrent;
using System.Diagnostics;
using Codex.Messaging.Tests.Support;
using Codex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Codex.Messaging.Tests;

public sealed class TracingAndRetentionTests(MessagingServers servers)
{
    [Fact]
    public async Task The_consume_span_is_a_child_of_the_publish_span_and_both_carry_the_tenant()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventBusTelemetry.Name || source.Name == "test.writer",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var writerSource = new ActivitySource("test.writer");
        await using var service = await InProcessService.StartAsync(servers);
        var @event = DeliveryTests.StageChanged("acme-prod");

        Activity? writer;
        using (writer = writerSource.StartActivity("write lead"))
        {
            await service.WriteAsync(@event);
        }
        Assert.True(await TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(spans.Any(s => s.Kind == ActivityKind.Consumer && s.TraceId == writer!.TraceId)), TimeSpan.FromSeconds(20)));

        var publish = Assert.Single(spans, s => s.Kind == ActivityKind.Producer && s.TraceId == writer!.TraceId);
        var consume = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer && s.TraceId == writer!.TraceId);
        Assert.Equal(writer!.SpanId, publish.ParentSpanId);
        Assert.Equal(publish.SpanId, consume.ParentSpanId);
        Assert.Equal("acme-prod", publish.GetTagItem(EventBusTelemetry.TenantTag));
        Assert.Equal("acme-prod", consume.GetTagItem(EventBusTelemetry.TenantTag));
        Assert.Equal("crm.lead.stage_changed", consume.GetTagItem(EventBusTelemetry.EventTypeTag));
    }

    [Fact]
    public async Task Retention_purges_sent_outbox_rows_and_old_inbox_rows_and_keeps_unsent_ones()
    {
        await using var service = await InProcessService.StartAsync(servers, settings: new Dictionary<string, string?>
        {
            ["EventBus:SentOutboxRetention"] = "00:00:00",
            ["EventBus:InboxRetention"] = "00:00:00",
            // The hand-inserted row below sends no NOTIFY; a long poll keeps the relay away from it.
            ["EventBus:RelayPollInterval"] = "00:10:00",
        });
        await service.WriteAsync(DeliveryTests.StageChanged("acme-prod"), DeliveryTests.StageChanged("acme-prod"));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Total == 2, TimeSpan.FromSeconds(20)));
        await InsertUnsentRowAsync(service.Database);

        var retention = service.App.Services.GetRequiredService<EventRetention<Codex.Messaging.TestService.TestServiceDbContext>>();
        var purged = await retention.PurgeAsync(TestContext.Current.CancellationToken);

        Assert.Equal((2, 2), purged);
        Assert.Equal(1, await service.UnsentAsync());
        Assert.Equal(0L, await CountAsync(service.Database, "inbox_messages"));
    }

    [Fact]
    public async Task Start_up_declares_the_queue_its_bindings_and_a_dead_letter_queue()
    {
        await using var service = await InProcessService.StartAsync(servers);
        await using var connection = await servers.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();

        var queue = await channel.QueueDeclarePassiveAsync(service.Queue);
        var deadLetters = await channel.QueueDeclarePassiveAsync(service.DeadLetterQueue);
        await RawBroker.PublishAsync(servers, RawBroker.Envelope(DeliveryTests.StageChanged("acme-prod")));

        Assert.Equal(service.Queue, queue.QueueName);
        Assert.Equal(service.DeadLetterQueue, deadLetters.QueueName);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Total == 1, TimeSpan.FromSeconds(20)),
            "the queue is not bound to crm.lead.stage_changed");
    }

    private static async Task InsertUnsentRowAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO outbox_messages (id, event_type, tenant_id, occurred_at, envelope) VALUES (gen_random_uuid(), 'x.y.z', 'acme-prod', now(), '{}')",
            connection);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string database, string table)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
