using StackExchange.Redis;

namespace Codex.Cms.Services;

/// <summary>
/// Published pages in Redis, per tenant under a generation number: a publish, unpublish, move or delete bumps the
/// tenant's generation after its commit, so every cached page of the tenant is gone at once, and a reader that
/// loaded the old page before the commit can only write it under the old generation, where nobody looks any more.
/// Redis down: reads go to the database and a missed bump leaves pages stale for <see cref="Lifetime"/> at most.
/// </summary>
public sealed partial class PageCache(IConnectionMultiplexer redis, ILogger<PageCache> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<(long Generation, string? Page)> GetAsync(string tenantId, string path)
    {
        try
        {
            var db = redis.GetDatabase();
            var generation = (long?)await db.StringGetAsync(GenerationKey(tenantId)) ?? 0;
            return (generation, await db.StringGetAsync(PageKey(tenantId, generation, path)));
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex);
            return (-1, null);
        }
    }

    public async Task SetAsync(string tenantId, long generation, string path, string page)
    {
        if (generation < 0)
        {
            return;
        }
        try
        {
            await redis.GetDatabase().StringSetAsync(PageKey(tenantId, generation, path), page, Lifetime);
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex);
        }
    }

    public async Task EvictAsync(string tenantId)
    {
        try
        {
            await redis.GetDatabase().StringIncrementAsync(GenerationKey(tenantId));
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex);
        }
    }

    private static string GenerationKey(string tenantId) => $"cms:pages:{tenantId}:generation";

    private static string PageKey(string tenantId, long generation, string path) => $"cms:pages:{tenantId}:{generation}:{path}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The page cache is unavailable; pages are read from the database")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
