using System.Globalization;

namespace Codex.Web.Components.Pages.Platform;

/// <summary>The audit and security pages' shared filter handling.</summary>
public static class Ledger
{
    /// <summary>The event types in Codex.Contracts (Platform has no list of them), for the type filter's suggestions.</summary>
    public static readonly string[] EventTypes =
    [
        "auth.user.registered", "auth.user.logged_in", "auth.user.login_failed", "auth.user.locked_out", "auth.user.deactivated",
        "auth.user.reactivated", "auth.user.email_verified", "auth.user.logged_out", "auth.user.password_reset", "auth.user.password_changed",
        "auth.user.invited", "auth.user.email_verification_requested", "auth.user.mfa_enabled", "auth.user.mfa_disabled",
        "auth.password_reset.requested", "auth.refresh_token.reused", "auth.permission.denied", "auth.apikey.created", "auth.apikey.revoked",
        "auth.role.assigned", "auth.role.unassigned",
        "crm.customer.created", "crm.customer.updated", "crm.customer.deleted", "crm.customer.restored",
        "crm.lead.created", "crm.lead.updated", "crm.lead.stage_changed", "crm.lead.won", "crm.lead.lost", "crm.lead.deleted", "crm.lead.converted",
        "crm.interaction.logged", "billing.invoice.issued", "billing.invoice.paid",
        "platform.tenant.created", "platform.tenant.updated", "platform.tenant.suspended", "platform.tenant.reactivated", "platform.tenant.deleted",
        "platform.client.created", "platform.client.updated", "platform.client.deleted", "platform.config.changed",
    ];

    public static readonly string[] SecurityTypes =
        ["auth.user.login_failed", "auth.user.locked_out", "auth.refresh_token.reused", "auth.permission.denied"];

    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];

    /// <summary>
    /// A datetime-local or date value read as UTC. The API's "to" is inclusive to the tick, so an end bound covers
    /// the whole minute (or day) the person picked. False when the text is not a date.
    /// </summary>
    public static bool TryParseUtc(string? text, bool end, out DateTimeOffset? at)
    {
        at = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (!DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        var start = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
        at = !end ? start
            : text.Trim().Length == 10 ? start.AddDays(1).AddTicks(-1)
            : parsed.Second == 0 && parsed.Millisecond == 0 ? start.AddMinutes(1).AddTicks(-1)
            : start;
        return true;
    }
}
