using System.Text.Json;
using Codex.Messaging;

namespace Codex.Platform.Summaries;

/// <summary>Auth's figures: users, active, verified, last login, failed logins in the last 24 h.</summary>
public sealed class AuthSummaryProjection : ISummaryProjection
{
    public const string FailedLoginType = "auth.user.login_failed";

    public string Service => ResourceNames.Services.Auth;

    public IReadOnlyList<FigureDefinition> Figures { get; } =
    [
        FigureDefinition.Count("users"),
        FigureDefinition.Count("active"),
        FigureDefinition.Count("verified"),
        FigureDefinition.Latest("lastLogin"),
        FigureDefinition.EventsWithin("failedLogins24h", FailedLoginType, TimeSpan.FromHours(24)),
    ];

    public void Project(EventEnvelope envelope, SummaryChanges changes)
    {
        switch (envelope.Type)
        {
            case "auth.user.registered":
                changes.Add("users", 1).Add("active", 1);
                break;
            case "auth.user.deactivated":
                changes.Add("active", -1);
                break;
            case "auth.user.reactivated":
                changes.Add("active", 1);
                break;
            case "auth.user.email_verified":
                changes.Add("verified", 1);
                break;
            case "auth.user.logged_in":
                changes.Latest("lastLogin", envelope.Data.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String
                    ? at.GetDateTimeOffset()
                    : envelope.OccurredAt);
                break;
        }
    }
}
