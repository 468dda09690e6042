using Polly;

namespace Codex.ServiceDefaults.Resilience;

/// <summary>Runs each request of one named client through that client's resilience pipeline.</summary>
internal sealed class StandardResilienceHandler(ClientPipeline client) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = client.Limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            throw new HttpRequestException(
                $"{request.Method} {request.RequestUri}: the client's concurrency limit is reached; the request was not sent.");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelines.RequestKey, request);
        try
        {
            return await client.Pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendCore(state.Request, ctx.CancellationToken)),
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCore(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
