using Codex.Web.Api;
using Codex.Web.Session;
using Microsoft.AspNetCore.Components;

namespace Codex.Web.Components.Shared;

/// <summary>
/// The pages' one way to call the API: a refusal becomes <see cref="Problem"/> (shown by
/// <c>ProblemAlert</c>), an ended session goes to sign-in and back to this page afterwards.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [Inject] protected NavigationManager Nav { get; set; } = default!;

    protected PageProblem? Problem { get; set; }

    /// <summary>Runs <paramref name="call"/>; false when it failed (and <see cref="Problem"/> says why).</summary>
    protected async Task<bool> RunAsync(Func<Task> call)
    {
        Problem = null;
        try
        {
            await call();
            return true;
        }
        catch (ApiProblemException ex)
        {
            Problem = PageProblem.From(ex);
        }
        catch (SessionExpiredException)
        {
            Nav.NavigateTo($"/account/expired?returnUrl={Uri.EscapeDataString(Nav.LocalPath())}", forceLoad: true);
        }
        catch (SessionStoreUnavailableException)
        {
            // Redis is away: the session is not known to be over, so the cookie stays and sign-in says why.
            Nav.NavigateTo($"/signin?unavailable=true&returnUrl={Uri.EscapeDataString(Nav.LocalPath())}", forceLoad: true);
        }
        return false;
    }

    /// <summary>This page with other query values (paging, filters), as a link.</summary>
    protected string WithQuery(IReadOnlyDictionary<string, object?> values) => Nav.GetUriWithQueryParameters(values);
}
