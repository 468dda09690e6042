using Microsoft.Extensions.Options;

namespace Codex.Auth.Tokens;

/// <summary>Rotates the signing key once it is older than <c>Auth:SigningKeys:RotateAfter</c>; checks every reload interval.</summary>
public sealed class SigningKeyRotation(SigningKeyStore keys, IOptions<AuthServiceOptions> options, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SigningKeys.ReloadInterval);
        while (await Tick(timer, stoppingToken))
        {
            try
            {
                await keys.EnsureCurrentAsync(forceRotation: false, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Checking signing-key rotation failed; the current key stays in use.");
            }
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;   // stopping
        }
    }
}
