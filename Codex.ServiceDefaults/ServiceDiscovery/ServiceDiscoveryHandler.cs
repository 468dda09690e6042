namespace Codex.ServiceDefaults.ServiceDiscovery;

/// <summary>Resolves a request's logical host on every attempt, so retries can reach another replica.</summary>
internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<Uri> LogicalUri = new("Codex.ServiceDiscovery.LogicalUri");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(LogicalUri, out var logical)
            && request.RequestUri is { IsAbsoluteUri: true } uri
            && ServiceEndpointResolver.IsLogicalName(uri.Host))
        {
            logical = uri;
            request.Options.Set(LogicalUri, uri);
        }

        if (logical is not null)
        {
            request.RequestUri = resolver.Resolve(logical);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
