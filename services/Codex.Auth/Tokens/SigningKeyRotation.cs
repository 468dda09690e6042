using Microsoft.Extensions.Options;

namespace Codex.Auth.Tokens;

/// <summary>Rotates the signing key once it is older than <c>Auth:SigningKeys:RotateAfter</c>; checks every reload interval.</summary>
public sealed class SigningKeyRotation(SigningKeyStore keys, IOptions<AuthServiceOptions> options, TimeProvider clock, ILogger<SigningKeyRotation> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.SigningKeys.ReloadInterval, clock, runAtStart: false,
            ct => keys.EnsureCurrentAsync(forceRotation: false, ct),
            ex => logger.LogWarning(ex, "Checking signing-key rotation failed; the current key stays in use."), stoppingToken);
}
