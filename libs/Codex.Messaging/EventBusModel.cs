using Codex.Messaging.Inbox;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Codex.Messaging;

/// <summary>The outbox and inbox tables, added to each service's own DbContext.</summary>
public static class EventBusModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>Call from <c>OnModelCreating</c>; the service's migrations then create both tables.</summary>
    public static ModelBuilder AddEventBusTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable(OutboxTable);
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(m => m.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
            outbox.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(200);
            outbox.Property(m => m.TenantId).HasColumnName("tenant_id").HasMaxLength(50);
            outbox.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            outbox.Property(m => m.Traceparent).HasColumnName("traceparent").HasMaxLength(128);
            outbox.Property(m => m.Envelope).HasColumnName("envelope").HasColumnType("jsonb");
            outbox.Property(m => m.SentAt).HasColumnName("sent_at");
            // The relay's query: unsent rows in commit order.
            outbox.HasIndex(m => m.Sequence).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
            outbox.HasIndex(m => m.SentAt).HasDatabaseName("ix_outbox_messages_sent_at");
        });
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable(InboxTable);
            inbox.HasKey(m => m.EventId);
            inbox.Property(m => m.EventId).HasColumnName("event_id").ValueGeneratedNever();
            inbox.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(200);
            inbox.Property(m => m.HandledAt).HasColumnName("handled_at");
            inbox.HasIndex(m => m.HandledAt).HasDatabaseName("ix_inbox_messages_handled_at");
        });
        return modelBuilder;
    }
}
