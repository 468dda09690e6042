using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Codex.Cms.Model;
using Codex.Cms.Schema;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Codex.Cms.Services;

/// <summary>
/// A tenant's locales and fallback chains. Saving them replaces the whole list in one transaction; a locale that
/// still has variants is not removed. Variant writes take the tenant's locale lock shared and a save takes it
/// exclusively, so no variant is written in a locale that is being removed.
/// </summary>
public sealed class LocaleService(CmsDbContext db, TenantContext tenant, IMemoryCache cache)
{
    public const int MaxLocales = 50;

    /// <summary>How long delivery reuses a tenant's chains: a changed setting reaches readers within it.</summary>
    public static readonly TimeSpan ChainLifetime = TimeSpan.FromSeconds(5);

    public static readonly LocaleSettings Unconfigured = new(LocaleCodes.Default, [new LocaleDefinition(LocaleCodes.Default)]);

    public async Task<LocaleSettings> GetAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Locales.AsNoTracking().OrderBy(l => l.Position).ToListAsync(cancellationToken);
        return rows.Count == 0
            ? Unconfigured
            : new LocaleSettings(rows.Single(l => l.IsDefault).Code, [.. rows.Select(l => new LocaleDefinition(l.Code, l.Fallback))]);
    }

    public Task<LocaleSettings> SaveAsync(LocaleSettings settings, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        Validate(settings);
        await db.Database.LockAsync(LockName, ct);
        var kept = settings.Locales.Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
        var orphaned = await db.ContentItems.AsNoTracking().Where(i => !kept.Contains(i.Locale))
            .OrderBy(i => i.Locale).ThenBy(i => i.Slug).Select(i => new { i.Id, i.Locale, i.Slug }).Take(100).ToListAsync(ct);
        if (orphaned.Count > 0)
        {
            var count = await db.ContentItems.CountAsync(i => !kept.Contains(i.Locale), ct);
            throw new ConflictException($"{count} variants are in locales this change removes; delete or keep those locales first.", "locale_in_use")
            {
                Details = new Dictionary<string, object?> { ["affectedCount"] = count, ["affectedItems"] = orphaned },
            };
        }
        await db.Locales.ExecuteDeleteAsync(ct);
        var position = 0;
        foreach (var locale in settings.Locales)
        {
            db.Locales.Add(new ContentLocale
            {
                TenantId = tenant.RequiredTenantId, Code = locale.Code, Fallback = locale.Fallback, IsDefault = locale.Code == settings.Default, Position = position++,
            });
        }
        await db.SaveChangesAsync(ct);
        cache.Remove(CacheKey(tenant.RequiredTenantId));
        return settings;
    }, cancellationToken);

    /// <summary>
    /// The locales a read in <paramref name="locale"/> looks in, in order: it, its fallbacks, then the default
    /// (no locale: the default alone). An unknown locale is a 400.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChainAsync(string? locale, CancellationToken cancellationToken)
    {
        var chains = await cache.GetOrCreateAsync(CacheKey(tenant.RequiredTenantId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = ChainLifetime;
            return Chains(await GetAsync(cancellationToken));
        }) ?? throw new InvalidOperationException("The locale cache gave nothing back.");
        return chains.For(locale);
    }

    /// <summary>
    /// For a variant write: takes the tenant's locale lock shared (to the end of the write's transaction) and checks
    /// <paramref name="locale"/> (none: the default) against the saved settings, not the readers' cache, so no
    /// variant lands in a locale that another replica has just removed. Returns the locale.
    /// </summary>
    public async Task<string> RequireForWriteAsync(string? locale, CancellationToken cancellationToken)
    {
        await db.Database.LockSharedAsync(LockName, cancellationToken);
        return Chains(await GetAsync(cancellationToken)).For(locale)[0];
    }

    private string LockName => $"cms-locales:{tenant.RequiredTenantId}";

    private static (string, string) CacheKey(string tenantId) => ("cms-locales", tenantId);

    private sealed record LocaleChains(IReadOnlyList<string> Default, IReadOnlyDictionary<string, IReadOnlyList<string>> ByLocale)
    {
        public IReadOnlyList<string> For(string? locale) =>
            locale is null ? Default
            : ByLocale.TryGetValue(locale, out var chain) ? chain
            : throw new ValidationException("locale", $"'{locale}' is not one of the tenant's locales ({string.Join(", ", ByLocale.Keys)}).");
    }

    private static LocaleChains Chains(LocaleSettings settings)
    {
        var fallbacks = settings.Locales.ToDictionary(l => l.Code, l => l.Fallback, StringComparer.Ordinal);
        var byLocale = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var code in fallbacks.Keys)
        {
            var chain = new List<string>();
            for (string? next = code; next is not null && !chain.Contains(next); next = fallbacks[next])
            {
                chain.Add(next);
            }
            if (!chain.Contains(settings.Default))
            {
                chain.Add(settings.Default);
            }
            byLocale[code] = chain;
        }
        return new LocaleChains(byLocale[settings.Default], byLocale);
    }

    private static void Validate(LocaleSettings settings)
    {
        var errors = new FieldErrors();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        errors.AddIf(settings.Locales.Count is 0 or > MaxLocales, "locales", $"A tenant has 1 to {MaxLocales} locales.");
        for (var n = 0; n < settings.Locales.Count; n++)
        {
            var locale = settings.Locales[n];
            if (!LocaleCodes.IsValid(locale.Code))
            {
                errors.Add($"locales[{n}].code", "A locale is a language tag such as en, fr-CA, zh-Hant or es-419.");
            }
            else if (!codes.Add(locale.Code))
            {
                errors.Add($"locales[{n}].code", $"'{locale.Code}' is listed twice.");
            }
        }
        errors.AddIf(!codes.Contains(settings.Default), "default", "The default locale is one of the locales.");
        var fallbacks = settings.Locales.Where(l => codes.Contains(l.Code)).GroupBy(l => l.Code).ToDictionary(g => g.Key, g => g.First().Fallback, StringComparer.Ordinal);
        for (var n = 0; n < settings.Locales.Count; n++)
        {
            var locale = settings.Locales[n];
            if (locale.Fallback is null)
            {
                continue;
            }
            if (!codes.Contains(locale.Fallback) || locale.Fallback == locale.Code)
            {
                errors.Add($"locales[{n}].fallback", "A fallback is another of the locales.");
                continue;
            }
            // Following fallbacks from here must end (at a locale without one), never come round again.
            var seen = new HashSet<string>(StringComparer.Ordinal) { locale.Code };
            for (var next = locale.Fallback; next is not null; next = fallbacks.GetValueOrDefault(next))
            {
                if (!seen.Add(next))
                {
                    errors.Add($"locales[{n}].fallback", $"The fallbacks from '{locale.Code}' go round in a circle.");
                    break;
                }
            }
        }
        errors.ThrowIfAny();
    }
}
