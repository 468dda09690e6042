using Codex.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codex.Testing.Auth;

public static class EventBusConsumers
{
    /// <summary>
    /// Waits until a started service consumes from its queue. The consumer declares and binds the queue in the
    /// background after start; an event published before that is routed nowhere (a mandatory publish fails
    /// with NO_ROUTE), so a test that publishes at once would otherwise race it on a cold RabbitMQ.
    /// </summary>
    public static async Task WaitForAsync(IServiceProvider service)
    {
        var queue = service.GetRequiredService<IOptions<EventBusOptions>>().Value.Queue;
        var connection = service.GetRequiredService<RabbitMQ.Client.IConnection>();
        var consuming = await TestInfrastructure.EventuallyAsync(async () =>
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount > 0;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return false;   // not declared yet (the failed passive declare closed this channel)
            }
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.True(consuming, $"nothing ever consumed {queue}");
    }
}
