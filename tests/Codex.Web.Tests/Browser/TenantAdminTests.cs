using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Codex.Web.Tests.Browser;

public sealed class TenantAdminTests(WebStack stack) : IClassFixture<WebStack>
{
    [Fact]
    public async Task A_tenant_admin_creates_a_user_and_an_api_key_and_sees_every_page_without_errors()
    {
        var tenant = await stack.CreateTenantAsync();
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin");
        await session.SignInAsync(tenant.Id, tenant.AdminEmail, AuthService.TenantPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/users$"));

        var email = $"ana@{tenant.Id}.test";
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password (optional)").FillAsync("Ana-Strong-Password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = email, Exact = true })).ToBeVisibleAsync();
        await session.ScreenshotAsync("users");
        await page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(email);
        await session.ScreenshotAsync("user-detail");
        await page.GotoAsync("/users");
        // The user exists in Auth, in this tenant.
        using (var users = await tenant.Admin.GetAsync($"/api/v1/auth/users?search={Uri.EscapeDataString(email)}"))
        {
            Assert.Contains(email, await users.Content.ReadAsStringAsync());
        }

        await page.GotoAsync("/api-keys");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("billing export");
        await page.GetByLabel("Scopes").FillAsync("crm.customers.read");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = page.GetByTestId("secret");
        await Expect(secret).ToHaveTextAsync(new Regex("^cdx_"));
        var key = await secret.TextContentAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "billing export", Exact = true })).ToBeVisibleAsync();
        await session.ScreenshotAsync("api-keys");
        await page.GotoAsync("/api-keys");
        Assert.DoesNotContain(key!, await page.ContentAsync());

        foreach (var (path, heading) in new[] { ("/roles", "Roles"), ("/sessions", "Sessions") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
            await session.ScreenshotAsync(path.Trim('/'));
        }

        // Platform's pages are not for tenant admins.
        await page.GotoAsync("/tenants");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not for this account");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_enrolled_admin_is_asked_for_the_authenticator_code_and_signing_out_ends_the_session()
    {
        var tenant = await stack.CreateTenantAsync();
        var enrolment = await (await tenant.Admin.PostAsync("/api/v1/auth/mfa/totp/enroll", null)).Content.ReadFromJsonAsync<TotpEnrollment>();
        var secret = OtpNet.Base32Encoding.ToBytes(enrolment!.Secret);
        await FreshStepAsync();
        // Confirmed with the previous step's code, so the current one is still unused for the sign-in.
        using (var verified = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/mfa/totp/verify", new { code = CodeAt(secret, -1) }))
        {
            verified.EnsureSuccessStatusCode();
        }

        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin");
        await page.GetByLabel("Tenant").FillAsync(tenant.Id);
        await page.GetByLabel("Email").FillAsync(tenant.AdminEmail);
        await page.GetByLabel("Password").FillAsync(AuthService.TenantPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("authenticator");
        await session.ScreenshotAsync("signin-mfa");

        await page.GetByLabel("Authenticator code").FillAsync(CodeAt(secret, 0));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/users$"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?signedOut=true"));
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "You are signed out." })).ToBeVisibleAsync();
        await page.GotoAsync("/users");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        session.AssertNoConsoleErrors();
    }

    private static string CodeAt(byte[] secret, int stepsFromNow) =>
        new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(Codex.Auth.Identity.TotpTokenProvider.StepSeconds * stepsFromNow));

    /// <summary>Waits out the end of a time step, so the codes used here stay in their steps.</summary>
    private static async Task FreshStepAsync()
    {
        var left = Codex.Auth.Identity.TotpTokenProvider.StepSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % Codex.Auth.Identity.TotpTokenProvider.StepSeconds;
        if (left < 10)
        {
            await Task.Delay(TimeSpan.FromSeconds(left + 0.5));
        }
    }

    private sealed record TotpEnrollment(string Secret);

    [Fact]
    public async Task A_wrong_password_is_a_readable_message_and_no_session_starts()
    {
        var tenant = await stack.CreateTenantAsync();
        await using var session = await stack.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/signin");
        await page.GetByLabel("Tenant").FillAsync(tenant.Id);
        await page.GetByLabel("Email").FillAsync(tenant.AdminEmail);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not correct");
        Assert.DoesNotContain("\"status\"", await page.ContentAsync());
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "codex.console");
        await page.GotoAsync("/users");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_suspended_tenants_admin_is_told_so_at_sign_in()
    {
        var tenant = await stack.CreateTenantAsync();
        var root = await stack.SuperadminAsync();
        using (var suspended = await root.PostAsJsonAsync($"/api/v1/platform/tenants/{tenant.Id}/suspend", new { reason = "test" }))
        {
            suspended.EnsureSuccessStatusCode();
        }

        await using var session = await stack.OpenAsync();
        var page = session.Page;
        var refused = await TestInfrastructure.EventuallyAsync(async () =>
        {
            await page.GotoAsync("/signin");
            await page.GetByLabel("Tenant").FillAsync(tenant.Id);
            await page.GetByLabel("Email").FillAsync(tenant.AdminEmail);
            await page.GetByLabel("Password").FillAsync(AuthService.TenantPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            return await page.GetByRole(AriaRole.Alert).CountAsync() > 0
                && (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).Contains("suspended", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
        Assert.True(refused, "the suspended tenant's admin was never told the tenant is suspended");
        session.AssertNoConsoleErrors();
    }
}
