using System.Net;
using Codex.Testing;
using Codex.Testing.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using StackExchange.Redis;

namespace Codex.Auth.Tests;

/// <summary>Auth on a Redis of its own, so a test can stop it.</summary>
public sealed class PrivateRedisAuth : IAsyncLifetime
{
    public TestServers Servers { get; } = new();
    public AuthService Auth { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Servers.InitializeAsync();
        Auth.Settings[$"ConnectionStrings:{ResourceNames.Cache}"] = Servers.ConnectionString(TestServers.Redis);
        await Auth.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Auth.DisposeAsync();
        await Servers.DisposeAsync();
    }
}

public sealed class RevocationOutageTests(PrivateRedisAuth fixture) : IClassFixture<PrivateRedisAuth>
{
    [Fact]
    public async Task A_logout_while_Redis_is_away_succeeds_and_is_announced_once_Redis_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await fixture.Auth.CreateTenantWithAdminAsync();
        var session = new JsonWebToken(admin.Tokens.AccessToken).GetClaim("sid").Value;

        await fixture.Servers.StopAsync(TestServers.Redis, ct);
        HttpStatusCode logout;
        try
        {
            using var response = await admin.Client.PostAsync("/api/v1/auth/logout", null, ct);
            logout = response.StatusCode;
        }
        finally
        {
            await fixture.Servers.StartAsync(TestServers.Redis, ct);
        }

        Assert.Equal(HttpStatusCode.NoContent, logout);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Servers.ConnectionString(TestServers.Redis));
        Assert.True(await TestInfrastructure.EventuallyAsync(
            () => redis.GetDatabase().KeyExistsAsync($"codex:revoked:s:{session}"), TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(500)),
            "the revocation never reached Redis after it came back");
    }
}
