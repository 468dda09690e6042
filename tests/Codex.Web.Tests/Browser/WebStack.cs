using System.Diagnostics;
using Microsoft.Playwright;

namespace Codex.Web.Tests.Browser;

/// <summary>
/// The real stack (Auth, Platform, gateway on PostgreSQL, Redis and RabbitMQ) with the console running
/// as its own process from its build output, exactly as eng/dev.sh runs it, and Debian's Chromium
/// driven by Playwright (never a downloaded browser).
/// </summary>
public class WebStack : PlatformStack
{
    public const string Chromium = "/usr/bin/chromium";

    private Process? _web;
    private IPlaywright? _playwright;

    public Uri WebAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: beside the TRX files of eng/test.sh.</summary>
    public static string Screenshots { get; } = Path.Combine(TestInfrastructure.RepoRoot, ".codex", "test-results", "screenshots");

    public string WebLog { get; } = Path.Combine(TestInfrastructure.RepoRoot, ".codex", "test-results", "web-console.log");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Directory.CreateDirectory(Screenshots);
        await StartWebAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine's network is closed: without these Chromium keeps trying to reach Google.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>The Redis the console keeps its sessions in (eng/test.sh's, unless a derived stack brings its own).</summary>
    protected virtual Task<string> ConsoleCacheAsync() => Task.FromResult(TestInfrastructure.ConnectionString(ResourceNames.Cache));

    private async Task StartWebAsync()
    {
        // tests/Codex.Web.Tests/bin/<Configuration>/net10.0 → web/Codex.Web/bin/<Configuration>/net10.0
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var output = Path.Combine(TestInfrastructure.RepoRoot, "web", "Codex.Web", "bin", configuration, "net10.0");
        var port = TestInfrastructure.FreeTcpPort();
        WebAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(output, "Codex.Web.dll")])
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = WebAddress.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment[$"ConnectionStrings__{ResourceNames.Cache}"] = await ConsoleCacheAsync();
        start.Environment[$"services__{ResourceNames.Services.Gateway}__http__0"] = Gateway.Address.ToString().TrimEnd('/');
        Directory.CreateDirectory(Path.GetDirectoryName(WebLog)!);
        var log = new StreamWriter(WebLog, append: true) { AutoFlush = true };
        _web = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the console.");
        _web.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _web.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _web.BeginOutputReadLine();
        _web.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = WebAddress, Timeout = TimeSpan.FromSeconds(2) };
        var up = await TestInfrastructure.EventuallyAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/alive")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        Assert.True(up, $"the console did not start; see {WebLog}");
    }

    /// <summary>A fresh browser context (its own cookies) at <paramref name="width"/> px, collecting console errors.</summary>
    public async Task<ConsoleSession> OpenAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = WebAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new ConsoleSession(context, page);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_web is { HasExited: false })
        {
            _web.Kill(entireProcessTree: true);
            await _web.WaitForExitAsync();
        }
        _web?.Dispose();
        await base.DisposeAsync();
    }
}
