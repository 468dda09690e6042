using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Codex.Web.Tests.Browser;

/// <summary>One person's browser on the console: their page, and every console error or page crash it saw.</summary>
public sealed partial class ConsoleSession : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public ConsoleSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors) _errors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors) _errors.Add($"{page.Url}: {error}");
        };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    public async Task SignInAsync(string? tenant, string email, string password)
    {
        if (tenant is not null)
        {
            await Page.GetByLabel("Tenant").FillAsync(tenant);
        }
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// A full-page screenshot named after the page, saved with the test results. A screenshot is evidence, not a
    /// check: Chromium now and then refuses one while the page re-renders ("Unable to capture screenshot"), so it is
    /// tried again once, and a second refusal is written beside the screenshots instead of failing the test.
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(WebStack.Screenshots, SafeName().Replace(name, "-") + ".png");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
                return;
            }
            catch (PlaywrightException ex) when (ex.Message.Contains("Unable to capture screenshot", StringComparison.Ordinal))
            {
                if (attempt == 2)
                {
                    await File.WriteAllTextAsync(Path.ChangeExtension(path, ".missing.txt"), ex.Message);
                    return;
                }
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Fails with every console error the pages logged.</summary>
    public void AssertNoConsoleErrors() => Assert.True(Errors.Count == 0, "console errors:\n" + string.Join('\n', Errors));

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex SafeName();
}
