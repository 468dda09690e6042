using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Consumes <c>codex.&lt;service&gt;</c> with manual acknowledgements, one message at a time (order).
/// A message is acknowledged only once its effect is committed or it sits in the dead-letter queue.
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
    private IChannel? _consumeChannel;
    private IChannel? _deadLetterChannel;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (subscriptions.EventTypes.Count == 0)
        {
            return;
        }
        var settings = options.Value;
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = services.GetRequiredService<IConnection>();
                _consumeChannel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                _deadLetterChannel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
                await Topology.DeclareAsync(_consumeChannel, settings, subscriptions.EventTypes, stoppingToken);
                await _consumeChannel.BasicQosAsync(0, settings.PrefetchCount, global: false, stoppingToken);

                var consumer = new AsyncEventingBasicConsumer(_consumeChannel);
                consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(delivery, stoppingToken);
                await _consumeChannel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, stoppingToken);
                break;   // from here the client's automatic recovery keeps the consumer alive
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogStartFailed(logger, ex, delay.TotalMilliseconds);
                await CloseChannelsAsync();
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(settings.RelayMaxBackoff.TotalMilliseconds, delay.TotalMilliseconds * 2));
            }
        }
        await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task OnDeliveryAsync(BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var channel = _consumeChannel!;
        var result = await processor.ProcessAsync(delivery.Body, delivery.BasicProperties, stoppingToken);
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
                    LogDeadLetterFailed(logger, ex, delivery.BasicProperties.MessageId);
                    await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
                }
                break;
            case ProcessingResult.Abandoned:
                break;   // unacknowledged; redelivered once the channel closes
        }
    }

    private async Task PublishDeadLetterAsync(BasicDeliverEventArgs delivery, ProcessingResult.DeadLetter dead)
    {
        var settings = options.Value;
        var headers = new Dictionary<string, object?>(delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            [Topology.ErrorHeader] = dead.Reason,
            [Topology.ErrorTypeHeader] = dead.ErrorType ?? "",
            [Topology.AttemptsHeader] = dead.Attempts,
            [Topology.FailedAtHeader] = clock.GetUtcNow().ToString("O"),
        };
        var properties = new BasicProperties(delivery.BasicProperties) { Headers = headers, DeliveryMode = DeliveryModes.Persistent };
        await _deadLetterChannel!.BasicPublishAsync(settings.DeadLetterExchange, settings.Queue, mandatory: true, properties, delivery.Body);
        EventBusTelemetry.DeadLettered.Add(1, EventBusTelemetry.TypeTag(delivery.BasicProperties.Type ?? delivery.RoutingKey));
        LogDeadLettered(logger, delivery.BasicProperties.MessageId, delivery.RoutingKey, dead.Reason);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event consumer could not start; retrying in {DelayMs} ms")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not dead-letter {MessageId}; requeued")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception exception, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {MessageId} ({RoutingKey}): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string? messageId, string routingKey, string reason);
}
