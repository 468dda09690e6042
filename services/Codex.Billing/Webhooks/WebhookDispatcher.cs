using System.Text;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Services;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Billing.Webhooks;

/// <summary>
/// Sends due webhook deliveries. A pass finds them across tenants (a declared cross-tenant lookup), then for each, in its
/// tenant's scope: lease it (its due time moved past the attempt, under <c>FOR UPDATE SKIP LOCKED</c>, so one replica
/// sends it), POST it signed outside any transaction, and record the outcome: delivered on a 2xx, else retried after a
/// doubling wait, and after the last attempt moved to the endpoint's dead-letter list.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<WebhookOptions> options, TimeProvider time, BillingClock clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string Client = "webhooks";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled ? Task.CompletedTask
        : PeriodicWork.RunAsync(options.Value.PollInterval, time, runAtStart: true, PassAsync, ex => LogPassFailed(logger, ex), stoppingToken);

    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var now = clock.Now;
        List<(Guid Id, string TenantId)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            using (db.AcrossTenants())
            {
                due = (await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
                        .Where(d => d.Status == WebhookDeliveryStatuses.Pending && d.NextAttemptAt <= now)
                        .OrderBy(d => d.NextAttemptAt).Take(options.Value.BatchSize)
                        .Select(d => new { d.Id, d.TenantId }).ToListAsync(cancellationToken))
                    .Select(d => (d.Id, d.TenantId)).ToList();
            }
        }
        var sent = 0;
        foreach (var (id, tenantId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            if (await SendAsync(scope.ServiceProvider, id, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<bool> SendAsync(IServiceProvider services, Guid id, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BillingDbContext>();
        var settings = options.Value;
        var leased = await db.InTransactionAsync(async ct =>
        {
            var delivery = await db.WebhookDeliveries.FromSql($"SELECT * FROM webhook_deliveries WHERE id = {id} FOR UPDATE SKIP LOCKED").FirstOrDefaultAsync(ct);
            if (delivery is not { Status: WebhookDeliveryStatuses.Pending } || delivery.NextAttemptAt > clock.Now)
            {
                return null;
            }
            delivery.NextAttemptAt = clock.Now + settings.Timeout * 2;   // the lease: no other pass takes it meanwhile
            await db.SaveChangesAsync(ct);
            return delivery;
        }, cancellationToken);
        if (leased is null)
        {
            return false;
        }
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == leased.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            return false;   // deleted meanwhile: its deliveries went with it
        }
        var secret = services.GetRequiredService<WebhookService>().Unprotect(endpoint);
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(leased.Payload, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow(), leased.Payload));
            request.Headers.Add("Codex-Webhook-Id", leased.Id.ToString());
            request.Headers.Add("Codex-Event-Type", leased.EventType);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            using var response = await http.CreateClient(Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"HTTP {status}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = ex is TaskCanceledException ? $"no answer within {settings.Timeout.TotalSeconds:0.#} s" : ex.Message;
        }

        var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == id, cancellationToken);
        delivery.Attempts++;
        delivery.LastStatusCode = status;
        delivery.LastError = error is null ? null : error[..Math.Min(error.Length, 500)];
        if (error is null)
        {
            delivery.Status = WebhookDeliveryStatuses.Succeeded;
            delivery.DeliveredAt = clock.Now;
        }
        else if (delivery.Attempts >= settings.MaxAttempts)
        {
            delivery.Status = WebhookDeliveryStatuses.Dead;
            LogDead(logger, delivery.Id, endpoint.Id, delivery.Attempts);
        }
        else
        {
            delivery.NextAttemptAt = clock.Now + settings.Backoff(delivery.Attempts);
        }
        await db.SaveChangesAsync(cancellationToken);
        return error is null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed {Attempts} times; it is on the endpoint's dead-letter list")]
    private static partial void LogDead(ILogger logger, Guid deliveryId, Guid endpointId, int attempts);
}
