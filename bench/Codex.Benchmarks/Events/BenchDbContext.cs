using Codex.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Codex.Benchmarks.Events;

/// <summary>A service's DbContext reduced to the event bus's tables.</summary>
internal sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddEventBusTables();
}
