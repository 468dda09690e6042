using Codex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Codex.ServiceDefaults.Tests.Support;

/// <summary>A context with no tables: enough to exercise the registration and the readiness check.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : DbContext(options);
