using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Security.Authentication;

/// <summary>The bearer scheme's options: the validation parameters built from <see cref="CodexAuthOptions"/>.</summary>
public sealed class CodexBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Filled in by the scheme's setup; a test or Auth itself may adjust it.</summary>
    public TokenValidationParameters ValidationParameters { get; set; } = new();
}
