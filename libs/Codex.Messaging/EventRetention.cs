using Codex.Messaging.Inbox;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Codex.Messaging;

/// <summary>Deletes sent outbox rows and old inbox rows after their retention periods.</summary>
internal sealed partial class EventRetention<TContext>(
    IServiceProvider services, IOptions<EventBusOptions> options, TimeProvider clock, ILogger<EventRetention<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.RetentionInterval, clock, runAtStart: true,
            PurgeAsync, ex => LogPurgeFailed(logger, ex), stoppingToken);

    /// <summary>One purge pass; returns the rows deleted from the outbox and the inbox.</summary>
    public async Task<(int Outbox, int Inbox)> PurgeAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow();
        var sentBefore = now - options.Value.SentOutboxRetention;
        var handledBefore = now - options.Value.InboxRetention;
        var outbox = await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < sentBefore).ExecuteDeleteAsync(ct);
        var inbox = await db.Set<InboxMessage>().Where(m => m.HandledAt < handledBefore).ExecuteDeleteAsync(ct);
        return (outbox, inbox);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging old outbox and inbox rows failed; next pass at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
