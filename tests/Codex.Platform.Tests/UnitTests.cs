using Codex.Platform.Infrastructure;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Codex.Contracts;
using Codex.Messaging;
using Codex.Platform.IntegrationEvents;
using Codex.Platform.Summaries;

namespace Codex.Platform.Tests;

public sealed class UnitTests
{
    private static readonly AuthSummaryProjection Auth = new();

    private static IReadOnlyList<FigureChange> Project(IIntegrationEvent @event)
    {
        var changes = new SummaryChanges();
        Auth.Project(EventEnvelope.Create(@event, "auth", TimeProvider.System), changes);
        return changes.All;
    }

    [Fact]
    public void A_registration_adds_a_user_and_an_active_user()
    {
        var changes = Project(new UserRegistered("t1", Guid.NewGuid(), "a@b.test", ["user"]));

        Assert.Equal([("users", 1m), ("active", 1m)], changes.Select(c => (c.Figure, c.Delta!.Value)));
    }

    [Fact]
    public void Deactivation_and_reactivation_move_only_the_active_count()
    {
        Assert.Equal(-1m, Assert.Single(Project(new UserDeactivated("t1", Guid.NewGuid())), c => c.Figure == "active").Delta);
        Assert.Equal(1m, Assert.Single(Project(new UserReactivated("t1", Guid.NewGuid())), c => c.Figure == "active").Delta);
    }

    [Fact]
    public void A_login_sets_the_last_login_to_the_time_in_the_event()
    {
        var at = new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero);

        var change = Assert.Single(Project(new UserLoggedIn("t1", Guid.NewGuid(), at)));

        Assert.Equal(("lastLogin", FigureKind.Latest, (DateTimeOffset?)at), (change.Figure, change.Kind, change.At));
    }

    [Fact]
    public void Events_that_move_no_figure_change_nothing()
    {
        Assert.Empty(Project(new UserLoginFailed("t1", "a@b.test", "bad_password", DateTimeOffset.UtcNow)));
        Assert.Empty(Project(new TenantCreated("t1", "T", "c", "free")));
    }

    [Fact]
    public void Every_figure_the_projection_moves_is_declared()
    {
        var declared = Auth.Figures.Select(f => f.Name).ToHashSet();
        IIntegrationEvent[] events =
        [
            new UserRegistered("t", Guid.NewGuid(), "a@b.test", []), new UserDeactivated("t", Guid.NewGuid()),
            new UserReactivated("t", Guid.NewGuid()), new UserEmailVerified("t", Guid.NewGuid()), new UserLoggedIn("t", Guid.NewGuid(), DateTimeOffset.UtcNow),
        ];

        Assert.All(events.SelectMany(Project), change => Assert.Contains(change.Figure, declared));
    }

    [Fact]
    public void Tokens_and_passwords_are_redacted_from_the_audit_copy_and_the_rest_is_kept()
    {
        var data = JsonSerializer.SerializeToElement(new { userId = "u1", resetToken = "s3cret", invitationToken = "t0k", newPassword = "p", email = "a@b.test" });

        var redacted = JsonDocument.Parse(EventLedgerHandler.Redacted(data)).RootElement;

        Assert.Equal("[redacted]", redacted.GetProperty("resetToken").GetString());
        Assert.Equal("[redacted]", redacted.GetProperty("invitationToken").GetString());
        Assert.Equal("[redacted]", redacted.GetProperty("newPassword").GetString());
        Assert.Equal("a@b.test", redacted.GetProperty("email").GetString());
        Assert.Equal("u1", redacted.GetProperty("userId").GetString());
    }

    [Fact]
    public void The_model_matches_its_migrations()
    {
        var options = new DbContextOptionsBuilder<PlatformDbContext>().UseNpgsql("Host=unused");
        CodexDbContextDefaults.Options(options);
        using var db = new PlatformDbContext(options.Options);

        Assert.Equal("audit_log", db.Model.FindEntityType(typeof(Codex.Platform.Model.AuditEntry))!.GetTableName());
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration's snapshot");
    }
}
