using System.Security.Claims;
using Codex.Web.Api;
using Microsoft.AspNetCore.Components.Authorization;

namespace Codex.Web.Session;

/// <summary>
/// The signed-in user's access token for this request or circuit, refreshed shortly before it expires.
/// Works the same in a static render (the request's user) and in an interactive circuit (the circuit's
/// user): both come from the <see cref="AuthenticationStateProvider"/>.
/// </summary>
public sealed partial class SessionTokens(
    AuthenticationStateProvider authentication, SessionStore store, SignInClient signIn, TimeProvider clock, ILogger<SessionTokens> logger)
{
    /// <summary>Refreshed this long before expiry, so a token never expires on its way through the gateway.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var id = await SessionIdAsync();
        var tokens = await store.GetAsync(id) ?? throw new SessionExpiredException("Your session has ended.");
        if (tokens.AccessExpiresAt - clock.GetUtcNow() > Skew)
        {
            return tokens.AccessToken;
        }
        return (await RefreshAsync(id, tokens, cancellationToken)).AccessToken;
    }

    /// <summary>Forgets the session (the gateway refused its token): the next page asks to sign in again.</summary>
    public async Task EndAsync()
    {
        await store.RemoveAsync(await SessionIdAsync());
    }

    private async Task<string> SessionIdAsync() =>
        ConsoleClaims.SessionOf(await UserAsync()) ?? throw new SessionExpiredException("You are not signed in.");

    private async Task<StoredTokens> RefreshAsync(string id, StoredTokens stale, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (!await store.TryLockAsync(id, owner))
        {
            // Another request (or replica) is refreshing: use its result when it lands.
            await Task.Delay(100, cancellationToken);
            if (await store.GetAsync(id) is { } fresh && fresh.RefreshToken != stale.RefreshToken)
            {
                return fresh;
            }
            if (clock.GetUtcNow() > deadline)
            {
                throw new ApiProblemException(503, "Your session could not be renewed in time; try again.", null, "refresh_busy", new Dictionary<string, string[]>());
            }
        }
        try
        {
            var current = await store.GetAsync(id) ?? throw new SessionExpiredException("Your session has ended.");
            if (current.RefreshToken != stale.RefreshToken)
            {
                return current;
            }
            TokenResponse answer;
            try
            {
                answer = await signIn.RefreshAsync(current.RefreshToken, cancellationToken);
            }
            catch (ApiProblemException ex) when (ex.Status is 400 or 401 or 403)
            {
                LogRefreshRefused(logger, ex.Code ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await store.RemoveAsync(id);
                throw new SessionExpiredException(ex.Message);
            }
            var renewed = new StoredTokens(answer.AccessToken, answer.RefreshToken, clock.GetUtcNow().AddSeconds(answer.ExpiresIn));
            await store.SaveAsync(id, renewed);
            return renewed;
        }
        finally
        {
            await store.ReleaseAsync(id, owner);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A console session ended: Auth refused its refresh ({Reason})")]
    private static partial void LogRefreshRefused(ILogger logger, string reason);
}
