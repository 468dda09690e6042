using Microsoft.EntityFrameworkCore;

namespace Codex;

/// <summary>Multi-step writes as one transaction: a refusal half-way (a 409, a failed check) leaves nothing behind.</summary>
public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the context's execution strategy. Each attempt starts
    /// from an empty change tracker, so <paramref name="work"/> must load what it changes itself; whatever it
    /// throws rolls every step back.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
}
