using Codex.Contracts;
using Codex.Messaging;
using Codex.Messaging.Consumer;
using Microsoft.EntityFrameworkCore;

namespace Codex.Messaging.TestService;

/// <summary>One row per handler run: duplicates would show as two rows with one event id.</summary>
public sealed class AppliedEvent
{
    public long Id { get; set; }
    public Guid EventId { get; set; }
    public string TenantId { get; set; } = "";
    public Guid LeadId { get; set; }
    public string Stage { get; set; } = "";
}

public sealed class TestServiceDbContext(DbContextOptions<TestServiceDbContext> options) : DbContext(options)
{
    public DbSet<AppliedEvent> AppliedEvents => Set<AppliedEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AppliedEvent>(e =>
        {
            e.ToTable("applied_events");
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.EventId).HasColumnName("event_id");
            e.Property(x => x.TenantId).HasColumnName("tenant_id");
            e.Property(x => x.LeadId).HasColumnName("lead_id");
            e.Property(x => x.Stage).HasColumnName("stage");
        });
        modelBuilder.AddEventBusTables();
    }
}

/// <summary>What the handler does besides recording: wait, or fail.</summary>
public sealed class HandlerBehaviour
{
    public TimeSpan Delay { get; set; }
    public volatile bool AlwaysThrow;

    /// <summary>Events changing to this stage always fail: a poison message among good ones.</summary>
    public string? PoisonStage { get; set; }
    public int FailuresBeforeSuccess;
}

public sealed class LeadStageChangedHandler(TestServiceDbContext db, HandlerBehaviour behaviour) : IIntegrationEventHandler<LeadStageChanged>
{
    public async Task HandleAsync(LeadStageChanged @event, EventContext context, CancellationToken cancellationToken)
    {
        if (behaviour.AlwaysThrow || @event.To == behaviour.PoisonStage)
        {
            throw new InvalidOperationException($"Stage {@event.To} is not known to this service.");
        }
        if (Interlocked.Decrement(ref behaviour.FailuresBeforeSuccess) >= 0)
        {
            throw new TimeoutException("The database was slow (simulated).");
        }
        if (behaviour.Delay > TimeSpan.Zero)
        {
            await Task.Delay(behaviour.Delay, cancellationToken);
        }
        db.AppliedEvents.Add(new AppliedEvent { EventId = context.EventId, TenantId = @event.TenantId, LeadId = @event.LeadId, Stage = @event.To });
    }
}
