using System.Text.RegularExpressions;
using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>A tenant's billing rules; a tenant that never set them bills with the defaults (no tax, INV, no draft window, retries after 1, 3, 5 days).</summary>
public sealed partial class SettingsService(BillingDbContext db, TenantContext tenant, TimeProvider clock)
{
    public const int MaxRetries = 10;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,19}$")]
    private static partial Regex Prefix();

    public async Task<BillingSettings> CurrentAsync(CancellationToken cancellationToken) =>
        await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? BillingSettings.Default(tenant.RequiredTenantId);

    public async Task<BillingSettingsDto> GetAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).ToDto();

    public async Task<BillingSettingsDto> PutAsync(BillingSettingsDto request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.AddIf(request.TaxRate is < 0 or > 1 || decimal.Round(request.TaxRate, 6) != request.TaxRate, "taxRate", "taxRate is 0 to 1 (0.2 is 20 %), up to 6 decimal places.");
        errors.AddIf(!Prefix().IsMatch(request.InvoicePrefix ?? ""), "invoicePrefix", "invoicePrefix is 1-20 upper-case letters, digits or '-'.");
        errors.AddIf(request.DraftHours is < 0 or > 720, "draftHours", "draftHours is 0 to 720.");
        var retries = request.RetryDays ?? [];
        errors.AddIf(retries.Count > MaxRetries || retries.Any(d => d is < 1 or > 60), "retryDays", $"retryDays holds up to {MaxRetries} waits of 1 to 60 days.");
        errors.AddIf(request.CancelAfterDays is < 0 or > 90, "cancelAfterDays", "cancelAfterDays is 0 to 90.");
        errors.ThrowIfAny();

        var settings = await db.Settings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = BillingSettings.Default(tenant.RequiredTenantId);
            db.Settings.Add(settings);
        }
        settings.TaxRate = request.TaxRate;
        settings.InvoicePrefix = request.InvoicePrefix!;
        settings.DraftHours = request.DraftHours;
        settings.RetryDays = [.. retries];
        settings.CancelAfterDays = request.CancelAfterDays;
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return settings.ToDto();
    }
}

internal static class SettingsMapping
{
    public static BillingSettingsDto ToDto(this BillingSettings s) => new(s.TaxRate, s.InvoicePrefix, s.DraftHours, s.RetryDays, s.CancelAfterDays);
}
