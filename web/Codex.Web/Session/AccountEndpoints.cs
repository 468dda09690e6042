using Microsoft.AspNetCore.Mvc;

namespace Codex.Web.Session;

/// <summary>Signing out (a form post) and the landing place of an expired session.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        var account = app.MapGroup("/account");
        // A form post with the antiforgery token: a link elsewhere cannot sign anyone out.
        account.MapPost("/signout", SignOut).RequireAuthorization();
        account.MapGet("/expired", Expired);
    }

    public static async Task<IResult> SignOut(HttpContext context, SignInService signIn, CancellationToken cancellationToken)
    {
        await signIn.SignOutAsync(context, endAtAuth: true, cancellationToken);
        return TypedResults.LocalRedirect("/signin?signedOut=true");
    }

    /// <summary>The session's tokens are gone (refresh refused, signed out elsewhere): clear the cookie, then sign in and come back.</summary>
    public static async Task<IResult> Expired([FromQuery] string? returnUrl, HttpContext context, SignInService signIn, CancellationToken cancellationToken)
    {
        await signIn.SignOutAsync(context, endAtAuth: false, cancellationToken);
        var back = LocalUrl(returnUrl);
        return TypedResults.LocalRedirect($"/signin?expired=true&returnUrl={Uri.EscapeDataString(back)}");
    }

    /// <summary>Only a path on this site: an open redirect would let a link send a fresh sign-in elsewhere.</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
