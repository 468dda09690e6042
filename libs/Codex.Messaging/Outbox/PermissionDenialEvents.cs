using Codex.Contracts;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.Messaging.Outbox;

/// <summary>Publishes each permission denial as <c>auth.permission.denied</c> through the service's outbox.</summary>
internal sealed class PermissionDenialEvents : IPermissionDenialSink
{
    public Task ReportAsync(PermissionDenial denial, HttpContext context) =>
        // Authorization runs before the handler: the request's DbContext has nothing else pending.
        context.RequestServices.GetRequiredService<IEventOutbox>().SaveChangesAsync(
            [new PermissionDenied(denial.TenantId, denial.UserId, denial.Permission, denial.Resource)], context.RequestAborted);
}
