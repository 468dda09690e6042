using RabbitMQ.Client;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Exchanges, the service's queue with its bindings, and its dead-letter queue. Every declaration is
/// idempotent, so each replica declares at start-up.
/// </summary>
internal static class Topology
{
    public const string ErrorHeader = "x-codex-error";
    public const string ErrorTypeHeader = "x-codex-error-type";
    public const string AttemptsHeader = "x-codex-attempts";
    public const string FailedAtHeader = "x-codex-failed-at";
    public const string ReplaysHeader = "x-codex-replays";

    public static async Task DeclareAsync(IChannel channel, EventBusOptions options, IEnumerable<string> eventTypes, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(options.Exchange, ExchangeType.Topic, durable: true, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(options.DeadLetterExchange, ExchangeType.Direct, durable: true, cancellationToken: ct);

        await channel.QueueDeclareAsync(options.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueueBindAsync(options.DeadLetterQueue, options.DeadLetterExchange, options.Queue, cancellationToken: ct);

        // A message the consumer rejects outright (it could not even be acknowledged properly) still
        // lands in the dead-letter queue, through the broker.
        await channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-dead-letter-exchange"] = options.DeadLetterExchange,
                ["x-dead-letter-routing-key"] = options.Queue,
            },
            cancellationToken: ct);
        foreach (var type in eventTypes)
        {
            await channel.QueueBindAsync(options.Queue, options.Exchange, type, cancellationToken: ct);
        }
    }
}
