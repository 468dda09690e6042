using Codex.Contracts;
using Codex.Messaging;
using Codex.Messaging.Admin;
using Codex.Messaging.Consumer;
using Codex.Messaging.Outbox;
using Codex.Messaging.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace Codex;

/// <summary>Adds subscriptions to the event bus.</summary>
public sealed class EventBusBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Routes <typeparamref name="TEvent"/> to <typeparamref name="THandler"/> (binding the service's queue to its type).</summary>
    public EventBusBuilder AddSubscription<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        Services.TryAddScoped<THandler>();
        Services.Configure<EventSubscriptions>(subscriptions => subscriptions.Add<TEvent, THandler>());
        return this;
    }

    /// <summary>Publishes every permission denial of this service (<c>auth.permission.denied</c>) for Platform's security events.</summary>
    public EventBusBuilder PublishPermissionDenials()
    {
        Services.AddScoped<Codex.Security.Authorization.IPermissionDenialSink, PermissionDenialEvents>();
        return this;
    }

    /// <summary>Routes every event, of any type, to <typeparamref name="THandler"/> (binding the queue to <c>#</c>).</summary>
    public EventBusBuilder AddAllEventsSubscription<THandler>() where THandler : class, IEventEnvelopeHandler
    {
        Services.TryAddScoped<THandler>();
        Services.Configure<EventSubscriptions>(subscriptions => subscriptions.AddAllEvents<THandler>());
        return this;
    }
}

/// <summary>Registration of the event bus: outbox, relay, consumer, dead-letter queue and retention.</summary>
public static class EventBusExtensions
{
    /// <summary>
    /// The event bus of a service whose outbox and inbox live in <typeparamref name="TContext"/>
    /// (call <c>modelBuilder.AddEventBusTables()</c> in it), on the RabbitMQ connection
    /// <paramref name="connectionName"/>. Settings come from <c>EventBus</c>; the service name defaults to
    /// <c>OTEL_SERVICE_NAME</c>, else the application name without its <c>Codex.</c> prefix.
    /// </summary>
    public static EventBusBuilder AddEventBus<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        builder.AddMessagingClient(connectionName);

        AddOptions(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventSubscriptions>>().Value);
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddSingleton<IEventActorAccessor, HttpContextEventActor>();
        builder.Services.AddScoped<IEventOutbox, EventOutbox<TContext>>();
        builder.Services.AddSingleton<EventProcessor<TContext>>();
        builder.Services.AddSingleton<DeadLetterQueue>();
        builder.Services.AddScoped<IOutboxBacklogReader, OutboxBacklogReader<TContext>>();
        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        builder.Services.AddHostedService<EventConsumer<TContext>>();
        builder.Services.AddSingleton<EventRetention<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventRetention<TContext>>());
        return new EventBusBuilder(builder.Services);
    }

    /// <summary>
    /// Subscriptions for a service without a database (the gateway): the same queue, retries and
    /// dead-letter queue, but no outbox and no inbox, so handlers must be idempotent by nature.
    /// </summary>
    public static EventBusBuilder AddEventSubscriber(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddMessagingClient(connectionName);
        AddOptions(builder);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventSubscriptions>>().Value);
        builder.Services.AddHostedService<StatelessEventConsumer>();
        return new EventBusBuilder(builder.Services);
    }

    // Aspire's client: one IConnection per process, recovering on its own. The name shows in RabbitMQ's
    // connection list; a 2 s recovery interval (the client's default is 5 s) keeps a broker restart short.
    private static void AddMessagingClient(this IHostApplicationBuilder builder, string connectionName)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IConnection)))
        {
            return;
        }
        var clientName = builder.Environment.ApplicationName;
        builder.AddRabbitMQClient(connectionName, configureConnectionFactory: factory =>
        {
            factory.ClientProvidedName = clientName;
            factory.NetworkRecoveryInterval = TimeSpan.FromSeconds(2);
        });
        // Events wait in the outbox (and deliveries in the broker) while it is away: the service still serves.
        builder.ServesWithout(DependencyHealthChecks.RabbitMQ);
    }

    private static void AddOptions(IHostApplicationBuilder builder)
    {
        var defaultName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } otelName
            ? otelName
            : builder.Environment.ApplicationName.Replace("Codex.", "", StringComparison.Ordinal).ToLowerInvariant();
        builder.Services.AddOptions<EventBusOptions>()
            .Configure(o => o.ServiceName = defaultName)
            .Bind(builder.Configuration.GetSection(EventBusOptions.SectionName))
            .Validate(o => System.Text.RegularExpressions.Regex.IsMatch(o.ServiceName, "^[a-z][a-z0-9-]*$"), "EventBus:ServiceName must be a lower-case name")
            .ValidateOnStart();
    }
}
