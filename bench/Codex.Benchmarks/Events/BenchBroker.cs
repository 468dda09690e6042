using System.Text;
using RabbitMQ.Client;

namespace Codex.Benchmarks.Events;

/// <summary>The benchmark's own RabbitMQ connection: topology, purges, and the raw publisher's channel.</summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    /// <summary>EventBusOptions.Exchange's default: where the relay publishes.</summary>
    public const string Exchange = "codex.events";

    /// <summary>
    /// Durable queue bound to the benchmark event's routing key while nothing consumes it, so the broker
    /// routes and stores every message of the throughput runs, raw and relayed alike.
    /// </summary>
    public const string SinkQueue = "codex.bench.sink";

    private readonly IConnection _connection;
    private readonly List<string> _queues = [];

    private BenchBroker(IConnection connection) => _connection = connection;

    public static async Task<BenchBroker> ConnectAsync(string uri, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = "Codex.Benchmarks" };
        return new BenchBroker(await factory.CreateConnectionAsync(ct));
    }

    public string ServerVersion => _connection.ServerProperties?.TryGetValue("version", out var version) == true && version is byte[] bytes
        ? Encoding.UTF8.GetString(bytes)
        : "?";

    public async Task DeclareSinkAsync(string routingKey, CancellationToken ct)
    {
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, cancellationToken: ct);
        await channel.QueueDeclareAsync(SinkQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueueBindAsync(SinkQueue, Exchange, routingKey, cancellationToken: ct);
        DeleteOnDispose(SinkQueue);
    }

    /// <summary>Empties the sink; returns how many messages it held.</summary>
    public async Task<uint> PurgeSinkAsync(CancellationToken ct)
    {
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        return await channel.QueuePurgeAsync(SinkQueue, ct);
    }

    public async Task DeleteQueueAsync(string queue, CancellationToken ct)
    {
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeleteAsync(queue, cancellationToken: ct);
    }

    /// <summary>Deletes <paramref name="queue"/> when the benchmark ends (a service declares its own).</summary>
    public void DeleteOnDispose(string queue)
    {
        if (!_queues.Contains(queue))
        {
            _queues.Add(queue);
        }
    }

    /// <summary>A channel with the relay's options: publisher confirms, tracked by the client.</summary>
    public Task<IChannel> CreatePublisherChannelAsync(CancellationToken ct) =>
        _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var queue in _queues)
            {
                await DeleteQueueAsync(queue, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or OperationCanceledException)
        {
            Console.Error.WriteLine($"bench: warning: could not delete the benchmark's queues: {ex.Message}");
        }
        await _connection.DisposeAsync();
    }
}
