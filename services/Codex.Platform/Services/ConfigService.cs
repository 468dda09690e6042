using System.Security.Claims;
using System.Text.Json;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Codex.Security;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Services;

/// <summary>System configuration: keys with JSON values. Each change publishes <c>platform.config.changed</c>, which the audit log records with its actor.</summary>
public sealed class ConfigService(PlatformDbContext db, IEventOutbox outbox, TimeProvider clock)
{
    public const string KeyPattern = "^[a-z0-9][a-z0-9._:-]{0,199}$";
    public const int MaxValueBytes = 64 * 1024;

    public async Task<IReadOnlyList<ConfigEntryDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.SystemConfig.AsNoTracking().OrderBy(e => e.Key).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    public async Task<ConfigEntryDto> GetAsync(string key, CancellationToken cancellationToken) =>
        ToDto(await db.SystemConfig.AsNoTracking().FirstOrDefaultAsync(e => e.Key == key, cancellationToken)
            ?? throw new NotFoundException($"No configuration key '{key}'."));

    public async Task<ConfigEntryDto> SetAsync(string key, ConfigValueRequest request, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        Validate(key);
        if (request.Value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ValidationException("value", "value is required (any JSON value).");
        }
        var raw = request.Value.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(raw) > MaxValueBytes)
        {
            throw new ValidationException("value", $"value is larger than {MaxValueBytes / 1024} KB.");
        }
        var entry = await db.SystemConfig.FirstOrDefaultAsync(e => e.Key == key, cancellationToken);
        var value = JsonDocument.Parse(raw);
        if (entry is null)
        {
            entry = new SystemConfigEntry { Key = key, Value = value };
            db.SystemConfig.Add(entry);
        }
        entry.Value = value;
        entry.Description = request.Description ?? entry.Description;
        entry.UpdatedAt = clock.GetUtcNow();
        entry.UpdatedBy = caller.FindFirst(CodexClaims.Email)?.Value ?? caller.FindFirst(CodexClaims.Subject)?.Value;
        await outbox.SaveChangesAsync([new ConfigChanged(CodexClaims.PlatformTenant, key, request.Value, Deleted: false)], cancellationToken);
        return ToDto(entry);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await db.SystemConfig.FirstOrDefaultAsync(e => e.Key == key, cancellationToken)
            ?? throw new NotFoundException($"No configuration key '{key}'.");
        db.SystemConfig.Remove(entry);
        await outbox.SaveChangesAsync([new ConfigChanged(CodexClaims.PlatformTenant, key, null, Deleted: true)], cancellationToken);
    }

    private static void Validate(string key)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(key, KeyPattern))
        {
            throw new ValidationException("key", "A key is 1 to 200 of a-z, 0-9 and . _ : - (for example gateway.cors.origins).");
        }
    }

    private static ConfigEntryDto ToDto(SystemConfigEntry e) => new(e.Key, e.Value.RootElement.Clone(), e.Description, e.UpdatedAt, e.UpdatedBy);
}
