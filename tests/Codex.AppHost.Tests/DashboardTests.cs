using Codex.AppHost.Services;
using Codex.Testing;
using Microsoft.Playwright;

namespace Codex.AppHost.Tests;

/// <summary>The Aspire dashboard as an operator opens it: Debian's Chromium, driven by Playwright (no browser download).</summary>
public sealed class DashboardTests(RunningStack running) : IClassFixture<RunningStack>
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Beside the TRX files of eng/test.sh; the README shows this picture.</summary>
    public static string Screenshot { get; } = Path.Combine(TestInfrastructure.RepoRoot, ".codex", "test-results", "screenshots", "dashboard.png");

    [Fact]
    public async Task The_dashboard_logs_in_with_its_token_and_shows_every_resource_running_and_healthy()
    {
        var ct = TestContext.Current.CancellationToken;
        await running.Stack.WaitUntilReadyAsync(ct);
        var login = await running.Stack.App.GetDashboardUrlAsync(ct);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine's network is closed: without these Chromium keeps trying to reach Google.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });

        await page.GotoAsync(login.ToString());

        // The login link's token admits the browser and lands on the Resources page.
        var rows = page.Locator("tr.resource-row");
        // Every resource but the dashboard itself, which does not list itself.
        var expected = ResourceReport.Started(running.Stack.Model).Select(r => r.Name).Where(name => name != "aspire-dashboard").ToList();
        await Assertions.Expect(rows).ToHaveCountAsync(expected.Count, new() { Timeout = 30_000 });
        foreach (var name in expected)
        {
            var state = rows.Filter(new() { Has = page.GetByText(name, new() { Exact = true }) }).Locator(".state-column-cell > span");
            // "Running" alone means healthy; the dashboard writes "Running (Unhealthy)" otherwise. (A badge beside
            // the text counts unread error lines.)
            var wanted = name.EndsWith(CodexProjects.MigratorSuffix, StringComparison.Ordinal) ? "^\\s*Finished\\s*$" : "^\\s*Running\\s*$";
            await Assertions.Expect(state.First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(wanted), new() { Timeout = 30_000 });
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot, FullPage = true });
    }
}
