namespace Codex.Messaging.Consumer;

/// <summary>What to do with a delivered message.</summary>
internal abstract record ProcessingResult
{
    /// <summary>The effect is committed, or was already (a duplicate): acknowledge.</summary>
    public sealed record Done(bool Duplicate) : ProcessingResult;

    /// <summary>Never to be handled as it is: move it to the dead-letter queue with the reason.</summary>
    public sealed record DeadLetter(string Reason, string? ErrorType, int Attempts) : ProcessingResult;

    /// <summary>Something outside the event failed: give it back to the queue now.</summary>
    public sealed record Requeue : ProcessingResult;

    /// <summary>The service is stopping mid-way: leave it unacknowledged for redelivery.</summary>
    public sealed record Abandoned : ProcessingResult;
}
