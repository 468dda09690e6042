using System.Security.Claims;
using Codex.Web.Api;
using Codex.Web.Session;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Codex.Web.Tests.Session;

/// <summary>The console's token handling against the real Auth and Redis: refresh once under a race, end on a refusal.</summary>
public sealed class SessionTokensTests(AuthService auth) : IClassFixture<AuthService>, IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;
    private SessionStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.ConnectionString(ResourceNames.Cache));
        _store = new SessionStore(_redis, new EphemeralDataProtectionProvider(), new MemoryCache(new MemoryCacheOptions()));
    }

    public ValueTask DisposeAsync()
    {
        _redis.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_expiring_token_is_refreshed_once_even_when_requests_race_and_auth_sees_no_reuse()
    {
        var login = await auth.LoginSuperadminAsync();
        // Stored as if it were about to expire: the next use must refresh it.
        var id = await _store.CreateAsync(new StoredTokens(login.AccessToken, login.RefreshToken, DateTimeOffset.UtcNow.AddSeconds(5)));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Tokens(id).AccessTokenAsync(CancellationToken.None)));

        Assert.Single(tokens.Distinct());
        Assert.NotEqual(login.AccessToken, tokens[0]);
        var stored = await _store.GetAsync(id);
        Assert.NotNull(stored);
        Assert.NotEqual(login.RefreshToken, stored.RefreshToken);
        Assert.True(stored.AccessExpiresAt > DateTimeOffset.UtcNow.AddMinutes(5));
        // Auth saw one rotation, not a reuse: the session is alive and the stored refresh token works.
        var again = await Client().RefreshAsync(stored.RefreshToken, CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(again.AccessToken));
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_console_session()
    {
        var login = await auth.LoginSuperadminAsync();
        await Client().LogoutAsync(login.AccessToken, CancellationToken.None);
        var id = await _store.CreateAsync(new StoredTokens(login.AccessToken, login.RefreshToken, DateTimeOffset.UtcNow.AddSeconds(-1)));

        await Assert.ThrowsAsync<SessionExpiredException>(() => Tokens(id).AccessTokenAsync(CancellationToken.None));

        Assert.Null(await _store.GetAsync(id));
        Assert.False(await _store.ExistsAsync(id));
    }

    [Fact]
    public async Task A_fresh_token_is_used_as_it_is()
    {
        var login = await auth.LoginSuperadminAsync();
        var id = await _store.CreateAsync(new StoredTokens(login.AccessToken, login.RefreshToken, DateTimeOffset.UtcNow.AddMinutes(10)));

        Assert.Equal(login.AccessToken, await Tokens(id).AccessTokenAsync(CancellationToken.None));
    }

    private SignInClient Client() => new(new HttpClient { BaseAddress = auth.App.Address });

    private SessionTokens Tokens(string sessionId) =>
        new(new FixedUser(sessionId), _store, Client(), TimeProvider.System, NullLogger<SessionTokens>.Instance);

    private sealed class FixedUser(string sessionId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ConsoleClaims.Session, sessionId)], "test"))));
    }
}
