namespace Codex.Messaging;

/// <summary>Event bus settings, bound from <c>EventBus</c>.</summary>
public sealed class EventBusOptions
{
    public const string SectionName = "EventBus";

    /// <summary>This service's name: queues are <c>codex.&lt;service&gt;</c> and <c>codex.&lt;service&gt;.dlq</c>.</summary>
    public string ServiceName { get; set; } = "";

    public string Exchange { get; set; } = EventBusNames.Exchange;

    /// <summary>A topic exchange (<see cref="EventBusNames.DeadLetterExchange"/>): dead letters and replays.</summary>
    public string DeadLetterExchange { get; set; } = EventBusNames.DeadLetterExchange;

    /// <summary>Unacknowledged messages the broker hands this consumer at once.</summary>
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Handler attempts before a message goes to the dead-letter queue.</summary>
    public int MaxAttempts { get; set; } = 5;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public int RelayBatchSize { get; set; } = 500;

    /// <summary>How often the relay looks for rows when no notification arrives.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of the relay's backoff while RabbitMQ or PostgreSQL is down.</summary>
    public TimeSpan RelayMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan SentOutboxRetention { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Authorization policy of the dead-letter admin API.</summary>
    public string AdminPolicy { get; set; } = "superadmin";

    public string Queue => EventBusNames.Queue(ServiceName);
    public string DeadLetterQueue => EventBusNames.DeadLetterQueue(ServiceName);
    public string ReplayRoutingKey => EventBusNames.ReplayRoutingKey(ServiceName);
}
