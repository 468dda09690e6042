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
}
