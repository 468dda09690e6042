using Codex.Testing;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Codex.ServiceDefaults.Tests.Support;

/// <summary>One exported batch: the signal, the resource's attributes and the names of what it carried.</summary>
public sealed record OtlpExport(string Signal, string Protocol, IReadOnlyDictionary<string, string?> Resource, IReadOnlyList<OtlpItem> Items)
{
    public string? ServiceName => Resource.GetValueOrDefault("service.name");
}

/// <summary>A span (name + attributes), a metric (name) or a log record (body).</summary>
public sealed record OtlpItem(string Name, IReadOnlyDictionary<string, string?> Attributes);

/// <summary>
/// A real OTLP endpoint: gRPC over h2c on one port, http/protobuf on another. It decodes each request
/// and keeps what arrived.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        GrpcEndpoint = $"http://127.0.0.1:{grpcPort}";
        HttpEndpoint = $"http://127.0.0.1:{httpPort}";
    }

    public ConcurrentQueue<OtlpExport> Exports { get; } = new();
    public string GrpcEndpoint { get; }
    public string HttpEndpoint { get; }

    public IEnumerable<OtlpExport> Of(string signal) => Exports.Where(e => e.Signal == signal);

    public static async Task<OtlpReceiver> StartAsync(int? grpcPort = null, int? httpPort = null)
    {
        var grpc = grpcPort ?? TestInfrastructure.FreeTcpPort();
        var http = httpPort ?? TestInfrastructure.FreeTcpPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, grpc, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(System.Net.IPAddress.Loopback, http, o => o.Protocols = HttpProtocols.Http1AndHttp2);
        });
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, grpc, http);

        foreach (var (signal, service) in new[] { ("traces", "trace.v1.TraceService"), ("metrics", "metrics.v1.MetricsService"), ("logs", "logs.v1.LogsService") })
        {
            app.MapPost($"/opentelemetry.proto.collector.{service}/Export", async context =>
            {
                var frame = await ReadBodyAsync(context);
                var length = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(1, 4));
                receiver.Record(signal, "grpc", frame.AsMemory(5, length));
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", "0");
            });
            app.MapPost($"/v1/{signal}", async context =>
            {
                receiver.Record(signal, "http/protobuf", await ReadBodyAsync(context));
                context.Response.ContentType = "application/x-protobuf";
            });
        }

        await app.StartAsync();
        return receiver;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    // Every OTLP request is: repeated Resource{Spans|Metrics|Logs} = 1 { Resource resource = 1; repeated Scope* = 2 { repeated item = 2 } }.
    private void Record(string signal, string protocol, ReadOnlyMemory<byte> request)
    {
        foreach (var resourceBlock in ProtoReader.Fields(request, 1))
        {
            var resource = ProtoReader.Fields(resourceBlock, 1).Select(r => ProtoReader.Attributes(r, 1)).FirstOrDefault() ?? [];
            var items = ProtoReader.Fields(resourceBlock, 2)
                .SelectMany(scope => ProtoReader.Fields(scope, 2))
                .Select(item => signal switch
                {
                    // Span: name = 5, attributes = 9. Metric: name = 1. LogRecord: body (AnyValue) = 5, attributes = 6.
                    "traces" => new OtlpItem(ProtoReader.String(item, 5) ?? "", ProtoReader.Attributes(item, 9)),
                    "metrics" => new OtlpItem(ProtoReader.String(item, 1) ?? "", DataPointAttributes(item)),
                    _ => new OtlpItem(ProtoReader.Fields(item, 5).Select(body => ProtoReader.String(body, 1)).FirstOrDefault() ?? "",
                        ProtoReader.Attributes(item, 6)),
                })
                .ToList();
            Exports.Enqueue(new OtlpExport(signal, protocol, resource, items));
        }
    }

    // Metric: sum = 7 { data_points = 1 { attributes = 7 } }, histogram = 9 { data_points = 1 { attributes = 9 } };
    // every data point's attributes together (a later point's value wins).
    private static Dictionary<string, string?> DataPointAttributes(ReadOnlyMemory<byte> metric)
    {
        var attributes = new Dictionary<string, string?>();
        var points = ProtoReader.Fields(metric, 7).SelectMany(sum => ProtoReader.Fields(sum, 1)).Select(point => ProtoReader.Attributes(point, 7))
            .Concat(ProtoReader.Fields(metric, 9).SelectMany(histogram => ProtoReader.Fields(histogram, 1)).Select(point => ProtoReader.Attributes(point, 9)));
        foreach (var point in points)
        {
            foreach (var (key, value) in point)
            {
                attributes[key] = value;
            }
        }
        return attributes;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
