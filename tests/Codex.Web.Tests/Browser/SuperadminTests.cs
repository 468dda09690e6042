using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Codex.Web.Tests.Browser;

public sealed class SuperadminTests(WebStack stack) : IClassFixture<WebStack>
{
    [Fact]
    public async Task A_superadmin_creates_a_tenant_sees_its_key_once_suspends_it_and_finds_the_audit_entry()
    {
        await using var session = await stack.OpenAsync();
        var page = session.Page;

        // A deep link while signed out: sign-in first, then back to where the superadmin was going.
        await page.GotoAsync("/tenants");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Ftenants"));
        await session.ScreenshotAsync("signin");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/tenants$"));
        await session.ScreenshotAsync("tenants");

        var tenantId = PlatformStack.NewTenantId();
        await page.GetByLabel("Tenant id").FillAsync(tenantId);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Browser Test Ltd");
        await page.GetByLabel("Admin email").FillAsync($"admin@{tenantId}.test");
        await page.GetByLabel("Admin password").FillAsync(AuthService.TenantPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();

        var secret = page.GetByTestId("secret");
        await Expect(secret).ToHaveTextAsync(new Regex("^cdx_"));
        var key = await secret.TextContentAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).First).ToBeVisibleAsync();
        await session.ScreenshotAsync("tenant-created-key-once");
        // The key works at the gateway (it names the tenant its admin signs in to), and no later page shows it again.
        using (var keyed = await stack.GatewayClient(key).PostAsJsonAsync("/api/v1/auth/login", new { email = $"admin@{tenantId}.test", password = AuthService.TenantPassword }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, keyed.StatusCode);
        }
        await page.GotoAsync("/tenants");
        Assert.DoesNotContain(key!, await page.ContentAsync());
        await page.GotoAsync($"/tenants/{tenantId}");
        Assert.DoesNotContain(key!, await page.ContentAsync());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Browser Test Ltd");
        // The summary's charts are an interactive island: drawn once the circuit is up, described in words.
        await Expect(page.Locator("figure[aria-label^='Users: Active 1']")).ToBeVisibleAsync();
        await Expect(page.Locator("figure .rz-chart svg").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("tenant-detail");

        await page.GetByLabel("Reason").FillAsync("Unpaid invoices");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend tenant" }).ClickAsync();
        await Expect(page.GetByText("suspended", new() { Exact = true }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reactivate tenant" })).ToBeVisibleAsync();

        // Platform records its own event in the audit log; the page shows it once it has landed.
        var found = await TestInfrastructure.EventuallyAsync(async () =>
        {
            await page.GotoAsync($"/audit?tenantId={tenantId}&type=platform.tenant.suspended");
            return await page.GetByRole(AriaRole.Cell, new() { Name = "platform.tenant.suspended" }).CountAsync() > 0;
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
        Assert.True(found, "the suspension never appeared in the audit log");
        await session.ScreenshotAsync("audit");

        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Every_superadmin_page_renders_without_console_errors_and_the_overview_is_live()
    {
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/overview$"));

        // Interactive: the circuit connects and the grid shows the services Platform polls.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Service health" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Events per minute (last hour)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "platform", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".health-strip").First).ToBeVisibleAsync();
        // The chart is drawn once the circuit is up and Radzen has measured it.
        await Expect(page.Locator(".rz-chart svg").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("overview");

        foreach (var (path, heading) in new[] { ("/security", "Security events"), ("/config", "System config"), ("/audit", "Audit log") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
            await session.ScreenshotAsync(path.Trim('/'));
        }

        // Tenant-admin pages are not for superadmins: a readable refusal, not a crash.
        await page.GotoAsync("/users");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not for this account");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_overview_has_its_figures_on_the_first_paint_after_sign_in_and_never_shows_loading()
    {
        // A service left in the registry (not deployed any more): its figures used to be read through the gateway,
        // whose 503 the console's client retried for 15 s while the page said "Loading…".
        await SeedRegistryAsync();
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.AddInitScriptAsync(WatchForLoading);
        await page.GotoAsync("/signin");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/overview$"), new() { Timeout = 2_000 });
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = "auth health", Exact = true })).ToBeVisibleAsync(new() { Timeout = 2_000 });

        // A fresh visit: the services are in the first response, well within a second here (2 s for a busy machine).
        await page.GotoAsync("/overview", new() { WaitUntil = WaitUntilState.Commit, Timeout = 2_000 });
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = "auth health", Exact = true })).ToBeVisibleAsync(new() { Timeout = 2_000 });
        await Expect(page.Locator(".health-strip").First).ToBeVisibleAsync(new() { Timeout = 2_000 });
        // Once interactive, the page reads the services' own figures at once (not at the first tick, 15 s on)...
        await Expect(page.GetByText("reading…")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "platform", Exact = true })).ToBeVisibleAsync();
        // ...and it took over the prerendered figures: "Loading…" was never on the page.
        Assert.False(await page.EvaluateAsync<bool>("() => window.__codexSawLoading"), "the overview showed \"Loading…\"");
        await session.ScreenshotAsync("overview-first-paint");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_service_not_deployed_here_is_shown_as_not_deployed_never_as_failing()
    {
        await SeedRegistryAsync();
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/overview$"));

        // cms: this stack has never had it (the gateway answers 503 for it); billing: Platform stopped polling it two
        // hours ago, and its entry still says Unreachable.
        foreach (var name in new[] { "cms", "billing" })
        {
            var card = page.GetByRole(AriaRole.Article, new() { Name = $"{name} health", Exact = true });
            await Expect(card.Locator(".badge")).ToHaveTextAsync("not deployed");
            await Expect(card.Locator(".badge")).ToHaveClassAsync(new Regex("\\bbadge-neutral\\b"));
            await Expect(card).ToHaveClassAsync(new Regex("\\bnot-deployed\\b"));
            await Expect(card.Locator(".badge-bad, .h-bad, .health-strip")).ToHaveCountAsync(0);
            await Expect(card).Not.ToContainTextAsync("Unreachable");
        }
        // A deployed service keeps its health, and only deployed services have event delivery to read.
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = "auth health", Exact = true }).Locator(".badge")).Not.ToHaveTextAsync("not deployed");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "auth", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "billing", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "cms", Exact = true })).ToHaveCountAsync(0);
        await session.ScreenshotAsync("overview-not-deployed");
        session.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Health_strips_stay_inside_their_cards_with_an_hour_of_polls(int width, int height)
    {
        // 600 polls of auth in the last hour: a poll every 6 s, more than a card has pixels for one bar each.
        await SeedRegistryAsync();
        await using var session = await stack.OpenAsync(width, height);
        var page = session.Page;
        await page.GotoAsync("/signin");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/overview$"));

        var strip = page.GetByRole(AriaRole.Article, new() { Name = "auth health", Exact = true }).Locator(".health-strip");
        await Expect(strip).ToBeVisibleAsync();
        await Expect(strip.Locator("span")).ToHaveCountAsync(Codex.Web.Components.Shared.HealthStrip.MaxBars);
        var overflow = await page.EvaluateAsync<int>("""
            () => Math.max(...[...document.querySelectorAll('.health-strip')].map(strip => {
                const card = strip.closest('.card');
                return Math.max(strip.scrollWidth - strip.clientWidth, card.scrollWidth - card.clientWidth,
                    Math.ceil(strip.getBoundingClientRect().right - card.getBoundingClientRect().right));
            }))
            """);
        Assert.True(overflow <= 0, $"a health strip is {overflow} px wider than its card at {width} px");
        await session.ScreenshotAsync($"overview-strips-{width}");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_bad_tenant_id_is_a_readable_message_and_nothing_is_created()
    {
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin?returnUrl=%2Ftenants");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);

        await page.GetByLabel("Tenant id").FillAsync("Not A Slug!");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Bad");
        await page.GetByLabel("Admin email").FillAsync("not-an-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();

        await Expect(page.Locator(".validation-message").First).ToBeVisibleAsync();
        Assert.DoesNotContain("{", await page.Locator("main").InnerTextAsync());   // never raw JSON
        Assert.Equal(0L, await stack.ScalarAsync<long>("SELECT count(*) FROM tenants WHERE name = 'Bad'"));
        session.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("/config")]
    [InlineData("/account/expired?returnUrl=%2Ftenants")]
    public async Task A_forged_host_header_never_reaches_a_redirect(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.WebAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/signin?", location);
        Assert.DoesNotContain("evil.example", location);
    }

    [Fact]
    public async Task An_ended_session_returns_to_sign_in_and_then_back_to_the_page()
    {
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin?returnUrl=%2Fsecurity");
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/security$"));

        // The server-side session is gone (signed out in another tab, or its refresh was refused).
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestInfrastructure.ConnectionString(ResourceNames.Cache));
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        foreach (var sessionKey in server.Keys(pattern: "codex:web:session:*"))
        {
            await redis.GetDatabase().KeyDeleteAsync(sessionKey);
        }

        await page.GotoAsync("/config");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?.*returnUrl=%2Fconfig"));
        await session.SignInAsync(null, AuthService.AdminEmail, AuthService.AdminPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/config$"));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Sign_in_works_from_the_keyboard_and_pages_fit_a_phone()
    {
        await using var session = await stack.OpenAsync(width: 390, height: 844);
        var page = session.Page;
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FocusAsync();
        await page.Keyboard.TypeAsync(AuthService.AdminEmail);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(AuthService.AdminPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/overview$"));

        foreach (var path in new[] { "/overview", "/tenants", "/audit" })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a 390 px phone");
            await session.ScreenshotAsync("phone" + path.Replace('/', '-'));
        }
        session.AssertNoConsoleErrors();
    }

    /// <summary>Notes whether a "Loading…" (the Loading component) was ever put on the page.</summary>
    private const string WatchForLoading = """
        window.__codexSawLoading = false;
        new MutationObserver(() => {
            if (document.querySelector('.loading')) window.__codexSawLoading = true;
        }).observe(document, { childList: true, subtree: true });
        """;

    /// <summary>
    /// Platform's registry as an environment that has run a while has it: an hour of auth's polls (one in ten
    /// failed), and billing's entry from when the environment had billing, last polled two hours ago and left
    /// Unreachable. Once per stack, whichever test comes first.
    /// </summary>
    private async Task SeedRegistryAsync()
    {
        await stack.ScalarAsync<long>("""
            WITH added AS (
                INSERT INTO services (name, url, status, last_checked_at)
                VALUES ('billing', 'http://billing', 'Unreachable', now() - interval '2 hours')
                ON CONFLICT (name) DO NOTHING
                RETURNING 1)
            SELECT count(*) FROM added
            """);
        await stack.ScalarAsync<long>("""
            WITH added AS (
                INSERT INTO service_health_checks (service, checked_at, status, response_ms, error)
                SELECT 'auth', now() - s * interval '6 seconds',
                       CASE WHEN s % 10 = 0 THEN 'Unhealthy' ELSE 'Healthy' END, 3,
                       CASE WHEN s % 10 = 0 THEN 'seeded: connection refused' END
                FROM generate_series(1, 600) AS s
                WHERE NOT EXISTS (SELECT 1 FROM service_health_checks WHERE error = 'seeded: connection refused')
                RETURNING 1)
            SELECT count(*) FROM added
            """);
    }
}
