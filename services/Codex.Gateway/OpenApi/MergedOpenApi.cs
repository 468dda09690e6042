using System.Text.Json.Nodes;
using Codex.Gateway.Routing;

namespace Codex.Gateway.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c> at the gateway: every service's own document, fetched through service
/// discovery, merged into one. Only the public paths are kept (<c>/api/v1/&lt;service&gt;/…</c> and the
/// few key-less ones); schemas are renamed <c>&lt;service&gt;.&lt;Name&gt;</c> so two services' records
/// never collide. A service that does not answer is listed under <c>x-codex-unavailable</c>.
/// </summary>
public sealed class MergedOpenApi(IHttpClientFactory http, TimeProvider clock, ILogger<MergedOpenApi> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Json, DateTimeOffset Until)? _cached;

    public async Task<string> DocumentAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && clock.GetUtcNow() < cached.Until)
        {
            return cached.Json;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var json = (await BuildAsync(cancellationToken)).ToJsonString();
            _cached = (json, clock.GetUtcNow() + CacheFor);
            return json;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var unavailable = new JsonArray();
        foreach (var service in GatewayRoutes.Routed)
        {
            var document = await FetchAsync(service, cancellationToken);
            if (document is null)
            {
                unavailable.Add(service);
                continue;
            }
            Merge(service, document, paths, schemas);
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = "Codex API", ["version"] = "v1" },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-API-Key" },
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray(), ["bearer"] = new JsonArray() }),
            ["x-codex-unavailable"] = unavailable,
        };
    }

    private static void Merge(string service, JsonObject document, JsonObject paths, JsonObject schemas)
    {
        // Renaming schemas is a rewrite of every reference, done on the text before parsing it again.
        var text = document.ToJsonString().Replace("\"#/components/schemas/", $"\"#/components/schemas/{service}.", StringComparison.Ordinal);
        var renamed = JsonNode.Parse(text)!.AsObject();
        if (renamed["paths"] is JsonObject servicePaths)
        {
            foreach (var (path, item) in servicePaths.ToList())
            {
                if (path.StartsWith($"/api/v1/{service}/", StringComparison.Ordinal) || path == $"/api/v1/{service}" || GatewayRoutes.PublicAuthPaths.Contains(path))
                {
                    servicePaths.Remove(path);
                    paths[path] = item;
                }
            }
        }
        if (renamed["components"]?["schemas"] is JsonObject serviceSchemas)
        {
            foreach (var (name, schema) in serviceSchemas.ToList())
            {
                serviceSchemas.Remove(name);
                schemas[$"{service}.{name}"] = schema;
            }
        }
    }

    private async Task<JsonObject?> FetchAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cancel.CancelAfter(TimeSpan.FromSeconds(5));
            var text = await http.CreateClient(OpenApiClient).GetStringAsync(new Uri($"http://{service}/openapi/v1.json"), cancel.Token);
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
        {
            logger.LogInformation("No OpenAPI document from {Service}: {Reason}", service, ex.Message);
            return null;
        }
    }

    public const string OpenApiClient = "openapi";
}
