using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Consumes <c>codex.&lt;service&gt;</c> with manual acknowledgements. Deliveries queue up in arrival
/// order and are processed by one loop, several at a time when several are waiting (up to the
/// prefetch count). A message is acknowledged only once its effect is committed or it sits in the
/// dead-letter queue.
/// </summary>
internal sealed partial class EventConsumer<TContext>(
    IServiceProvider services,
    EventSubscriptions subscriptions,
    EventProcessor<TContext> processor,
    IOptions<EventBusOptions> options,
    TimeProvider clock,
    ILogger<EventConsumer<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private readonly System.Threading.Channels.Channel<Delivery> _pending =
        System.Threading.Channels.Channel.CreateUnbounded<Delivery>(new() { SingleReader = true, SingleWriter = true });
    private IChannel? _consumeChannel;
    private IChannel? _deadLetterChannel;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!subscriptions.Any)
        {
            return;
        }
        var settings = options.Value;
        var started = await ConsumerStart.UntilStartedAsync(async ct =>
        {
            var connection = services.GetRequiredService<IConnection>();
            _consumeChannel = await connection.CreateChannelAsync(cancellationToken: ct);
            _deadLetterChannel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            await Topology.DeclareAsync(_consumeChannel, settings, subscriptions.RoutingKeys(settings.ServiceName), ct);
            await _consumeChannel.BasicQosAsync(0, settings.PrefetchCount, global: false, ct);

            var consumer = new AsyncEventingBasicConsumer(_consumeChannel);
            // The body lives in the client's buffer only during the callback: copy it, queue it.
            consumer.ReceivedAsync += (_, delivery) => _pending.Writer.WriteAsync(
                new Delivery(delivery.DeliveryTag, delivery.RoutingKey, delivery.BasicProperties, delivery.Body.ToArray()), stoppingToken).AsTask();
            await _consumeChannel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, ct);
        }, CloseChannelsAsync, settings, logger, stoppingToken);
        if (!started)
        {
            return;
        }
        await ProcessDeliveriesAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ProcessDeliveriesAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Delivery>(options.Value.PrefetchCount);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < options.Value.PrefetchCount && _pending.Reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
            }
            ProcessingResult[] results;
            try
            {
                results = await processor.ProcessAsync(batch, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogProcessingFailed(logger, ex, batch.Count);
                results = [.. batch.Select(_ => new ProcessingResult.Requeue())];
            }
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    await SettleAsync(batch[i], results[i]);
                }
                catch (Exception ex)
                {
                    // Typically a delivery from before a reconnect: the broker has requeued it already.
                    LogSettleFailed(logger, ex, batch[i].Properties.MessageId);
                }
            }
        }
    }

    private async Task SettleAsync(Delivery delivery, ProcessingResult result)
    {
        var channel = _consumeChannel!;
        switch (result)
        {
            case ProcessingResult.Done:
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
                break;
            case ProcessingResult.DeadLetter dead:
                try
                {
                    await PublishDeadLetterAsync(delivery, dead);
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    // Not lost: back in the queue, tried again later.
                    LogDeadLetterFailed(logger, ex, delivery.Properties.MessageId);
                    await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
                }
                break;
            case ProcessingResult.Requeue:
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
                break;
            case ProcessingResult.Abandoned:
                break;   // unacknowledged; redelivered once the channel closes
        }
    }

    private async Task PublishDeadLetterAsync(Delivery delivery, ProcessingResult.DeadLetter dead)
    {
        var settings = options.Value;
        var headers = new Dictionary<string, object?>(delivery.Properties.Headers ?? new Dictionary<string, object?>())
        {
            [Topology.ErrorHeader] = dead.Reason,
            [Topology.ErrorTypeHeader] = dead.ErrorType ?? "",
            [Topology.AttemptsHeader] = dead.Attempts,
            [Topology.FailedAtHeader] = clock.GetUtcNow().ToString("O"),
        };
        var properties = new BasicProperties(delivery.Properties) { Headers = headers, DeliveryMode = DeliveryModes.Persistent };
        await _deadLetterChannel!.BasicPublishAsync(settings.DeadLetterExchange, settings.Queue, mandatory: true, properties, delivery.Body);
        EventBusTelemetry.DeadLettered.Add(1, EventBusTelemetry.TypeTag(delivery.Properties.Type ?? delivery.RoutingKey));
        LogDeadLettered(logger, delivery.Properties.MessageId, delivery.RoutingKey, dead.Reason);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await CloseChannelsAsync();
    }

    private async Task CloseChannelsAsync()
    {
        foreach (var channel in new[] { _consumeChannel, _deadLetterChannel })
        {
            if (channel is null)
            {
                continue;
            }
            try
            {
                await channel.DisposeAsync();
            }
            catch (Exception)
            {
                // Closing a channel of a dead connection can fail; it is gone either way.
            }
        }
        _consumeChannel = _deadLetterChannel = null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing {Count} deliveries failed; requeued")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not acknowledge {MessageId}; the broker redelivers it")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string? messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not dead-letter {MessageId}; requeued")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {MessageId} ({RoutingKey}): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string? messageId, string routingKey, string reason);
}
