using System.Net;
using Codex.Messaging.Tests.Support;
using Codex.Testing;

namespace Codex.Messaging.Tests;

/// <summary>The admin API's outbox backlog: what the relay has not yet published.</summary>
public sealed class OutboxTests(MessagingServers servers)
{
    [Fact]
    public async Task The_backlog_counts_the_rows_the_relay_cannot_publish_while_RabbitMQ_is_stopped_and_is_empty_once_they_are_sent()
    {
        await using var service = await InProcessService.StartAsync(servers);
        var empty = await service.OutboxAsync();

        await servers.Infrastructure.StopAsync(TestServers.RabbitMQ);
        Admin.OutboxBacklog stuck, later;
        DateTimeOffset beforeWrite, afterWrite;
        try
        {
            beforeWrite = DateTimeOffset.UtcNow.AddMilliseconds(-1);
            await service.WriteAsync(DeliveryTests.StageChanged("acme-prod"), DeliveryTests.StageChanged("acme-prod"));
            afterWrite = DateTimeOffset.UtcNow;
            await service.WriteAsync(DeliveryTests.StageChanged("globex"));
            stuck = await service.OutboxAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
            later = await service.OutboxAsync();
        }
        finally
        {
            await servers.Infrastructure.StartAsync(TestServers.RabbitMQ);
        }

        Assert.Equal(new Admin.OutboxBacklog(0, null, null), empty);
        Assert.Equal(3, stuck.Pending);
        Assert.InRange(stuck.OldestPendingAt!.Value, beforeWrite, afterWrite);
        Assert.InRange(stuck.OldestPendingAgeSeconds!.Value, 0, (DateTimeOffset.UtcNow - beforeWrite).TotalSeconds);
        Assert.Equal(3, later.Pending);
        Assert.Equal(stuck.OldestPendingAt, later.OldestPendingAt);
        Assert.True(later.OldestPendingAgeSeconds >= stuck.OldestPendingAgeSeconds + 1.4, $"the oldest row's age went from {stuck.OldestPendingAgeSeconds} to {later.OldestPendingAgeSeconds} s");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.OutboxAsync()).Pending == 0, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500)),
            "the outbox was not drained once RabbitMQ was back");
        Assert.Equal(new Admin.OutboxBacklog(0, null, null), await service.OutboxAsync());
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Distinct == 3, TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    public async Task The_outbox_backlog_is_for_superadmins_only(string? role, HttpStatusCode expected)
    {
        await using var service = await InProcessService.StartAsync(servers);

        using var response = await service.App.Client.SendAsync(service.OutboxRequest(role));

        Assert.Equal(expected, response.StatusCode);
    }
}
