using Microsoft.EntityFrameworkCore;

namespace Codex.ServiceDefaults.Tests.Support;

/// <summary>A context with no tables that remembers the scope it was leased into: enough to exercise the registration and the readiness check.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : DbContext(options), IScopedDbContext
{
    public IServiceProvider? Scope { get; private set; }

    public void AttachScope(IServiceProvider services) => Scope = services;
}
