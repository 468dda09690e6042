using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Caching.Memory;

namespace Codex.Crm.Services;

/// <summary>
/// Asks Auth whether a user belongs to a tenant and is active (an assignee check). A yes is cached
/// for a minute; a no is not, so a user created a moment ago can be assigned at once.
/// </summary>
public sealed class TenantUsers(HttpClient http, IMemoryCache cache)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(60);

    public async Task<bool> IsActiveMemberAsync(string tenantId, Guid userId, CancellationToken cancellationToken)
    {
        var key = $"tenant-user:{tenantId}:{userId:N}";
        if (cache.TryGetValue(key, out bool known))
        {
            return known;
        }
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync($"/internal/tenants/{Uri.EscapeDataString(tenantId)}/users/{userId}", cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException("Auth cannot be reached to check the assignee; try again shortly.", "auth_unavailable", ex);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new ServiceUnavailableException($"Auth answered {(int)response.StatusCode} to the assignee check; try again shortly.", "auth_unavailable");
            }
            var user = await response.Content.ReadFromJsonAsync<UserState>(cancellationToken);
            var active = user?.IsActive == true;
            if (active)
            {
                cache.Set(key, true, CacheDuration);
            }
            return active;
        }
    }

    private sealed record UserState(Guid Id, bool IsActive);
}
