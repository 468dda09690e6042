namespace Codex.AppHost.Tests;

/// <summary>The whole stack, started from the AppHost in process mode, as a developer's eng/dev.sh runs it.</summary>
public sealed class StackTests
{
    [Fact]
    public async Task The_whole_stack_turns_healthy()
    {
        var ct = TestContext.Current.CancellationToken;

        await using var stack = await CodexStack.StartAsync(cancellationToken: ct);

        using var http = stack.App.CreateHttpClient(ResourceNames.Services.Gateway);
        using var health = await http.GetAsync("/health", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
