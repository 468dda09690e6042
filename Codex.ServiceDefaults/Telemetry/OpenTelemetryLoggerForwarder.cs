using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Codex.ServiceDefaults.Telemetry;

/// <summary>Sends the host's log records to the OpenTelemetry SDK's logger provider.</summary>
internal sealed class OpenTelemetryLoggerForwarder(OpenTelemetrySdk sdk) : ILoggerProvider
{
    private readonly ILoggerFactory _factory = sdk.GetLoggerFactory();

    public ILogger CreateLogger(string categoryName) => _factory.CreateLogger(categoryName);

    // The factory belongs to the SDK, which the container disposes.
    public void Dispose()
    {
    }
}
