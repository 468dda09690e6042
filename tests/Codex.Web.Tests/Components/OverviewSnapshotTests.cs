using Codex.Web.Api;
using Codex.Web.Components.Pages.Overview;

namespace Codex.Web.Tests.Components;

public sealed class OverviewSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static ServiceOverview Registered(string name, string status, DateTimeOffset? lastCheckedAt) =>
        new(name, $"http://{name}", "1.0.0", status, 4, lastCheckedAt, lastCheckedAt, 100, null, 0);

    [Fact]
    public void Services_platform_polls_are_deployed_and_the_rest_of_the_stack_is_not_deployed_never_failing()
    {
        ServiceOverview[] registered =
        [
            Registered("auth", "Healthy", Now),
            Registered("crm", "Unreachable", Now.AddSeconds(-1)),
            // Left behind: Platform has had no address for it since two hours ago, and it kept its last status.
            Registered("billing", "Unreachable", Now.AddHours(-2)),
        ];
        var history = new Dictionary<string, IReadOnlyList<HealthCheckDto>> { ["auth"] = [new(Now, "Healthy", 4, null)] };

        var cards = OverviewSnapshot.Cards(registered, history);

        Assert.Equal(["auth", "crm", "analytics", "billing", "cms", "notifications"], cards.Select(card => card.Name));
        Assert.Equal([true, true, false, false, false, false], cards.Select(card => card.Deployed));
        // A deployed service that is down is still failing; its polls are on its card.
        Assert.Equal("Unreachable", cards[1].Overview!.Status);
        Assert.Single(cards[0].History);
        Assert.Empty(cards[1].History);
        // Not deployed: no polls, and the entry Platform kept (when it has one) says when it was last seen.
        Assert.All(cards.Skip(2), card => Assert.Empty(card.History));
        Assert.Equal(Now.AddHours(-2), cards.Single(card => card.Name == "billing").Overview!.LastCheckedAt);
        Assert.Null(cards.Single(card => card.Name == "cms").Overview);
    }

    [Fact]
    public void A_registry_whose_polls_all_stopped_together_still_counts_as_deployed()
    {
        // Platform's poller paused (a restart): every entry is as old as the others, none was left behind.
        ServiceOverview[] registered = [Registered("auth", "Healthy", Now.AddHours(-3)), Registered("crm", "Healthy", Now.AddHours(-3).AddSeconds(-2))];

        var cards = OverviewSnapshot.Cards(registered, new Dictionary<string, IReadOnlyList<HealthCheckDto>>());

        Assert.True(cards.Single(card => card.Name == "auth").Deployed);
        Assert.True(cards.Single(card => card.Name == "crm").Deployed);
    }
}
