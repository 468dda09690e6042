using System.IO.Compression;
using Microsoft.AspNetCore.Identity;

namespace Codex.Auth.Identity;

/// <summary>
/// Refuses passwords found in breach corpora. The list ships with the service: the 44 000 entries of
/// at least 12 characters among SecLists' top million (shorter ones already fail the length rule),
/// compared case-insensitively.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<Model.User>
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<Model.User> manager, Model.User user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooCommon", Description = "This password is in a list of commonly used passwords; choose another." })
            : IdentityResult.Success);

    public static bool IsCommon(string password) => List.Value.Contains(password.ToLowerInvariant());

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Codex.Auth.common-passwords.txt.gz")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            set.Add(line);
        }
        return set;
    }
}
