using System.Net;
using System.Net.Http.Json;
using System.Text;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;
using Codex.Testing;

namespace Codex.Auth.Tests;

public sealed class RequestValidationTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task Malformed_JSON_is_a_400_problem()
    {
        using var response = await auth.Client.PostAsync("/api/v1/auth/login", new StringContent("{\"email\": ", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{}", "email")]
    [InlineData("{\"email\":\"not-an-email\",\"password\":\"x\"}", "email")]
    [InlineData("{\"email\":\"a@b.test\"}", "password")]
    public async Task Missing_or_invalid_fields_are_a_400_problem_naming_the_field(string body, string field)
    {
        using var response = await auth.Client.PostAsync("/api/v1/auth/login", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains(errors, name => name.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Oversized_fields_are_refused_and_nothing_is_written()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var before = await auth.ScalarAsync<long>("SELECT count(*) FROM users");

        using var longEmail = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(new string('a', 300) + "@x.test", "A-Long-Enough-Password-1"));
        using var hugeBody = await admin.Client.PostAsync("/api/v1/auth/users", new StringContent($"{{\"email\":\"a@b.test\",\"password\":\"{new string('p', 100_000)}\"}}", Encoding.UTF8, "application/json"));

        await longEmail.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(hugeBody.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"got {(int)hugeBody.StatusCode}");
        Assert.Equal("application/problem+json", hugeBody.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await auth.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Production_refuses_to_start_without_the_first_superadmin_and_says_which_setting()
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Databases.Auth}"] = auth.Roles.App,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = TestInfrastructure.MessagingLogin(ResourceNames.Services.Auth),
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(
            configuration, builder => Codex.Auth.Extensions.Extensions.AddApplicationServices(builder), applicationName: "Codex.Auth", environment: "Production"));

        Assert.Contains("CODEX_ADMIN_EMAIL", error.Message);
    }

    [Fact]
    public async Task The_summary_counts_users_activity_and_failed_logins_of_one_tenant()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        await auth.CreateUserAsync(admin.Tenant, $"second@{admin.Tenant}.test", null);
        using var failed = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, "wrong-password-here", admin.Tenant));

        using var platform = await TestServiceIdentities.ClientAsync(auth.App.Address, auth.App.Address, ResourceNames.Services.Platform, ResourceNames.Services.Auth);
        var summary = await platform.GetFromJsonAsync<AuthSummary>($"/internal/summary/{admin.Tenant}");

        Assert.Equal(new AuthSummary(2, 2, 0, summary!.LastLogin, 1), summary);
        Assert.NotNull(summary.LastLogin);
    }
}
