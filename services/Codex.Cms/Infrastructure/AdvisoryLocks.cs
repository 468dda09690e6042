using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Codex.Cms.Infrastructure;

/// <summary>PostgreSQL transaction-scoped advisory locks by name: held until the current transaction ends.</summary>
public static class AdvisoryLocks
{
    public static Task LockAsync(this DatabaseFacade database, string name, CancellationToken cancellationToken) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", cancellationToken);

    /// <summary>Many holders at once, but never beside <see cref="LockAsync"/> of the same name.</summary>
    public static Task LockSharedAsync(this DatabaseFacade database, string name, CancellationToken cancellationToken) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtextextended({name}, 0))", cancellationToken);
}
