using Microsoft.AspNetCore.Identity;

namespace Codex.Auth.Services;

/// <summary>Identity's failures as our 400 problem, with field errors under the request's field name.</summary>
public static class IdentityResults
{
    public static void ThrowIfFailed(this IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new ValidationException(new Dictionary<string, string[]>
            {
                [field] = result.Errors.Select(e => e.Description).ToArray(),
            });
        }
    }
}
