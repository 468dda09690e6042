using System.Collections.Concurrent;
using Codex.Contracts;
using Codex.Messaging.Consumer;
using Codex.Messaging.Tests.Support;
using Codex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Codex.Messaging.Tests;

/// <summary>A service without a database (the gateway) subscribes through <c>AddEventSubscriber</c>.</summary>
public sealed class StatelessSubscriberTests(MessagingServers servers)
{
    [Fact]
    public async Task Subscribed_events_reach_the_handler_and_failing_ones_end_in_the_dead_letter_queue()
    {
        var name = $"gateway-{Guid.NewGuid():N}"[..16];
        var seen = new Seen();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{ResourceNames.Messaging}"] = servers.Login(name),
                ["EventBus:ServiceName"] = name,
                ["EventBus:MaxAttempts"] = "2",
                ["EventBus:RetryBaseDelay"] = "00:00:00.010",
            },
            builder =>
            {
                builder.Services.AddSingleton(seen);
                builder.AddEventSubscriber(ResourceNames.Messaging).AddSubscription<LeadStageChanged, RecordingHandler>();
            });
        await servers.WaitForQueueAsync($"codex.{name}");
        var good = new LeadStageChanged("t-1", Guid.NewGuid(), Guid.Empty, "new", "won", "open", "won", 100m, "EUR", 20);
        var poison = new LeadStageChanged("t-1", Guid.NewGuid(), Guid.Empty, "new", RecordingHandler.Poison, "open", "open", 100m, "EUR", 20);

        await RawBroker.PublishAsync(servers, RawBroker.Envelope(good), RawBroker.Envelope(poison));

        Assert.True(await TestInfrastructure.EventuallyAsync(() => Task.FromResult(seen.Leads.Contains(good.LeadId)), TimeSpan.FromSeconds(10)));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await MessageCountAsync($"codex.{name}.dlq") == 1, TimeSpan.FromSeconds(10)),
            "the failing event did not reach the dead-letter queue");
        Assert.Equal(2, seen.PoisonAttempts);
    }

    private async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await servers.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    public sealed class Seen
    {
        public ConcurrentBag<Guid> Leads { get; } = [];
        public int PoisonAttempts;
    }

    public sealed class RecordingHandler(Seen seen) : IIntegrationEventHandler<LeadStageChanged>
    {
        public const string Poison = "poison";

        public Task HandleAsync(LeadStageChanged @event, EventContext context, CancellationToken cancellationToken)
        {
            if (@event.To == Poison)
            {
                Interlocked.Increment(ref seen.PoisonAttempts);
                throw new InvalidOperationException("poison");
            }
            seen.Leads.Add(@event.LeadId);
            return Task.CompletedTask;
        }
    }
}
