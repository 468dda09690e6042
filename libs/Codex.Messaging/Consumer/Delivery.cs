using RabbitMQ.Client;

namespace Codex.Messaging.Consumer;

/// <summary>A delivered message, copied out of the client's buffer so it can wait for its batch.</summary>
internal sealed record Delivery(ulong DeliveryTag, string RoutingKey, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body);
