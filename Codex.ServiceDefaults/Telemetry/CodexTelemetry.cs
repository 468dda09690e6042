using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Codex.ServiceDefaults.Telemetry;

/// <summary>
/// What Codex adds to the template's telemetry: its own sources and meters (<c>Codex.*</c>: the event bus,
/// the gateway, Auth's sign-ins…) and EF Core's meter. Npgsql, Redis and RabbitMQ come with their Aspire
/// client integrations.
/// </summary>
internal static class CodexTelemetry
{
    public const string Sources = "Codex.*";

    public static MeterProviderBuilder AddCodexMeters(this MeterProviderBuilder metrics) =>
        metrics.AddMeter(Sources, "Microsoft.EntityFrameworkCore");

    public static TracerProviderBuilder AddCodexSources(this TracerProviderBuilder tracing) =>
        tracing.AddSource(Sources);
}
