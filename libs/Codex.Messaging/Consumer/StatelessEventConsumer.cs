using Codex.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Codex.Messaging.Consumer;

/// <summary>
/// The consumer of a service without a database (the gateway): the same queue, bindings, retries and
/// dead-letter queue as <see cref="EventConsumer{TContext}"/>, but no inbox, so delivery is at least
/// once and handlers must be idempotent by nature (evict a cache entry, refresh a setting).
/// </summary>
internal sealed partial class StatelessEventConsumer(
    IServiceProvider services,
    EventSubscriptions subscriptions,
    IOptions<EventBusOptions> options,
    ILogger<StatelessEventConsumer> logger) : BackgroundService
{
    private IChannel? _channel;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!subscriptions.Any)
        {
            return;
        }
        if (subscriptions.AllEventHandlers.Count > 0)
        {
            // All-events handlers count on the inbox to apply each event once; only AddEventBus has one.
            throw new InvalidOperationException("AddAllEventsSubscription needs AddEventBus<TContext> (an inbox), not AddEventSubscriber.");
        }
        var settings = options.Value;
        await ConsumerStart.UntilStartedAsync(async ct =>
        {
            _channel = await services.GetRequiredService<IConnection>().CreateChannelAsync(cancellationToken: ct);
            await Topology.DeclareAsync(_channel, settings, subscriptions.RoutingKeys(settings.ServiceName), ct);
            await _channel.BasicQosAsync(0, settings.PrefetchCount, global: false, ct);
            var consumer = new AsyncEventingBasicConsumer(_channel);
            consumer.ReceivedAsync += (_, delivery) => HandleAsync(delivery, stoppingToken);
            await _channel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, ct);
        }, CloseChannelAsync, settings, logger, stoppingToken);
    }

    private async Task CloseChannelAsync()
    {
        try
        {
            await (_channel?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
        catch (Exception)
        {
            // A channel of a failed start may already be broken; the next attempt opens a new one.
        }
        _channel = null;
    }

    private async Task HandleAsync(BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var channel = _channel!;
        var envelope = EventEnvelope.TryParse(delivery.Body.Span);
        IIntegrationEvent? data = null;
        EventSubscriptions.Subscription? subscription = null;
        if (envelope is not null && subscriptions.TryGet(envelope.Type, out subscription))
        {
            try
            {
                data = subscription.Deserialize(envelope.Data);
            }
            catch (System.Text.Json.JsonException)
            {
                data = null;
            }
        }
        if (envelope is null || subscription is null || data is null || data.TenantId != envelope.TenantId
            || EventOrigin.Forged(envelope, delivery.RoutingKey, options.Value) is not null)
        {
            LogUnreadable(logger, delivery.RoutingKey);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, stoppingToken);   // to the DLQ, through the broker
            return;
        }

        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var context = new EventContext(envelope.Id, envelope.Type, envelope.TenantId!, envelope.OccurredAt, envelope.Source, attempt);
                foreach (var handler in subscription.Handlers)
                {
                    await handler(scope.ServiceProvider, data, context, stoppingToken);
                }
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= settings.MaxAttempts)
                {
                    LogDeadLettered(logger, ex, envelope.Type, envelope.Id, attempt);
                    await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, stoppingToken);
                    return;
                }
                await Task.Delay(settings.RetryBaseDelay * Math.Pow(2, attempt - 1), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An unreadable message ({RoutingKey}) went to the dead-letter queue")]
    private static partial void LogUnreadable(ILogger logger, string routingKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "{EventType} {EventId} failed {Attempts} times and went to the dead-letter queue")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string eventType, Guid eventId, int attempts);
}
