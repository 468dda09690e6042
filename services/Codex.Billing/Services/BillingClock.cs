namespace Codex.Billing.Services;

/// <summary>
/// The instant billing works at: periods, trials, proration and renewals read it. A class of its own (not the host's
/// <see cref="TimeProvider"/>) so the tests can move billing months ahead while tokens and timeouts keep real time.
/// </summary>
public class BillingClock(TimeProvider time)
{
    public virtual DateTimeOffset Now => time.GetUtcNow();
}
