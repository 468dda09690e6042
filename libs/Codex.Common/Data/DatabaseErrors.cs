using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Codex;

public static class DatabaseErrors
{
    /// <summary>Whether saving failed on a unique index (a concurrent duplicate the pre-check could not see).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
