using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Codex.Messaging.Relay;

/// <summary>
/// A channel with publisher confirms on the service's shared RabbitMQ connection, made again after a
/// failure. The connection is resolved lazily: RabbitMQ may be down when the service starts.
/// </summary>
internal sealed class PublisherChannel(IServiceProvider services) : IAsyncDisposable
{
    private IChannel? _channel;

    public async Task<IChannel> GetAsync(Func<IChannel, Task> declare, CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }
        await ResetAsync();
        var connection = services.GetRequiredService<IConnection>();
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        await declare(channel);
        return _channel = channel;
    }

    public async Task ResetAsync()
    {
        var channel = Interlocked.Exchange(ref _channel, null);
        if (channel is not null)
        {
            try
            {
                await channel.DisposeAsync();
            }
            catch (Exception)
            {
                // A channel of a dead connection may fail to close; it is abandoned either way.
            }
        }
    }

    public ValueTask DisposeAsync() => new(ResetAsync());
}
