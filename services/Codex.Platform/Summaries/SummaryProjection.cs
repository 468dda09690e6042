using Codex.Messaging;

namespace Codex.Platform.Summaries;

/// <summary>
/// One service's figures in the tenant summary and how its events move them. A new service adds its
/// figures by registering one more projection (<c>AddSummaryProjection&lt;T&gt;()</c>); storage, lineage,
/// reconciliation and the API stay as they are.
/// </summary>
public interface ISummaryProjection
{
    /// <summary>The service name: the summary's key and the host of <c>GET /internal/summary/{tenantId}</c>.</summary>
    string Service { get; }

    /// <summary>The figures, named as the service's own summary endpoint names them (camelCase).</summary>
    IReadOnlyList<FigureDefinition> Figures { get; }

    /// <summary>Records in <paramref name="changes"/> what <paramref name="envelope"/> does to the figures (nothing for most events).</summary>
    void Project(EventEnvelope envelope, SummaryChanges changes);
}

public enum FigureKind
{
    /// <summary>A number moved by +/- deltas.</summary>
    Count,

    /// <summary>The latest instant seen (a timestamp that only moves forward).</summary>
    Latest,

    /// <summary>How many events of one type arrived within a sliding window, counted when read.</summary>
    Window,

    /// <summary>Amounts per key (money per currency: <c>{"EUR": 1200.5}</c>), each moved by +/- deltas.</summary>
    Amounts,

    /// <summary>One stored figure divided by another, worked out when read (null while the divisor is 0).</summary>
    Average,
}

public sealed record FigureDefinition(
    string Name, FigureKind Kind, string? WindowEventType = null, TimeSpan? Window = null, string? SumFigure = null, string? CountFigure = null)
{
    public static FigureDefinition Count(string name) => new(name, FigureKind.Count);

    public static FigureDefinition Latest(string name) => new(name, FigureKind.Latest);

    public static FigureDefinition EventsWithin(string name, string eventType, TimeSpan window) => new(name, FigureKind.Window, eventType, window);

    public static FigureDefinition Amounts(string name) => new(name, FigureKind.Amounts);

    /// <summary><paramref name="sumFigure"/> / <paramref name="countFigure"/>, both stored figures of the same service.</summary>
    public static FigureDefinition Average(string name, string sumFigure, string countFigure) =>
        new(name, FigureKind.Average, SumFigure: sumFigure, CountFigure: countFigure);

    /// <summary>
    /// Stored figures are compared with the service's own answer; windowed ones are read from the ledger itself,
    /// and averages from their stored inputs (which reconciliation already repairs).
    /// </summary>
    public bool IsStored => Kind is not (FigureKind.Window or FigureKind.Average);
}

/// <summary>What one event does to a service's figures.</summary>
public sealed class SummaryChanges
{
    private readonly List<FigureChange> _changes = [];

    public IReadOnlyList<FigureChange> All => _changes;

    public SummaryChanges Add(string figure, decimal delta)
    {
        _changes.Add(new FigureChange(figure, FigureKind.Count, delta, null));
        return this;
    }

    public SummaryChanges Latest(string figure, DateTimeOffset at)
    {
        _changes.Add(new FigureChange(figure, FigureKind.Latest, null, at));
        return this;
    }

    /// <summary>Moves the amount under <paramref name="key"/> (a currency) of an <see cref="FigureKind.Amounts"/> figure.</summary>
    public SummaryChanges AddAmount(string figure, string key, decimal delta)
    {
        _changes.Add(new FigureChange(figure, FigureKind.Amounts, delta, null, key));
        return this;
    }
}

public sealed record FigureChange(string Figure, FigureKind Kind, decimal? Delta, DateTimeOffset? At, string? Key = null);
