using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Codex.Web.Tests.Browser;

/// <summary>The console on a Redis of its own, so a test can stop and restart it.</summary>
public sealed class PrivateRedisWebStack : WebStack
{
    public TestServers Servers { get; } = new();

    protected override async Task<string> ConsoleCacheAsync()
    {
        await Servers.InitializeAsync();
        return Servers.ConnectionString(TestServers.Redis);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

/// <summary>Console sessions live in Redis: a restart keeps them, and an outage is a message on the sign-in page, never an error page.</summary>
public sealed class SessionOutageTests(PrivateRedisWebStack stack) : IClassFixture<PrivateRedisWebStack>
{
    [Fact]
    public async Task While_Redis_is_away_the_console_says_so_at_sign_in_and_after_its_restart_the_session_is_still_there()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/overview$"));

        await stack.Servers.StopAsync(TestServers.Redis, ct);
        try
        {
            // A page that needs the session: the console cannot read it, sends the browser to sign in and says why.
            var during = await page.GotoAsync("/tenants");
            await Expect(page).ToHaveURLAsync(new Regex("/signin\\?.*unavailable=true"));
            await Expect(page.GetByText("cannot reach its session store")).ToBeVisibleAsync();
            Assert.Equal(200, during!.Status);
            // Signing in cannot work now; the form says so instead of failing.
            await page.GetByLabel("Email").FillAsync(AuthService.AdminEmail);
            await page.GetByLabel("Password").FillAsync(AuthService.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByText("Signing in is not possible right now")).ToBeVisibleAsync();
            await session.ScreenshotAsync("session-store-unavailable");
        }
        finally
        {
            await stack.Servers.StartAsync(TestServers.Redis, ct);
        }

        // Redis kept the session on disk (append-only file) and the cookie was never cleared: signed in as before.
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            await page.GotoAsync("/tenants");
            return page.Url.EndsWith("/tenants", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1)), $"after Redis restarted the console showed {page.Url}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tenants" })).ToBeVisibleAsync();
    }
}
