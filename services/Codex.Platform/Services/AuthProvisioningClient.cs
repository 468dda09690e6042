using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Platform.Services;

/// <summary>What a call to another service came to: done, refused for a reason the caller must fix, or not reachable now.</summary>
public abstract record CallOutcome<T>
{
    public sealed record Done(T Value) : CallOutcome<T>;

    public sealed record Refused(int Status, string Reason, IDictionary<string, string[]>? Errors) : CallOutcome<T>;

    public sealed record Unavailable(string Reason) : CallOutcome<T>;
}

public sealed record AuthProvisionRequest(string Name, string AdminEmail, string? AdminPassword, string Plan);

public sealed record AuthProvisionedAdmin(Guid UserId, string Email, bool Created, bool Invited);

public sealed record AuthCreatedKey(AuthKey ApiKey, string Key);

public sealed record AuthKey(Guid Id, string Prefix);

/// <summary>Auth's internal provisioning endpoints (never routed by the gateway).</summary>
public sealed class AuthProvisioningClient(HttpClient http)
{
    public Task<CallOutcome<AuthProvisionedAdmin>> ProvisionAsync(string tenantId, AuthProvisionRequest request, CancellationToken cancellationToken) =>
        CallAsync<AuthProvisionedAdmin>(() => http.PostAsJsonAsync($"/internal/tenants/{tenantId}/provision", request, cancellationToken), cancellationToken);

    public Task<CallOutcome<AuthCreatedKey>> IssueKeyAsync(string tenantId, CancellationToken cancellationToken) =>
        CallAsync<AuthCreatedKey>(() => http.PostAsync($"/internal/tenants/{tenantId}/api-keys/provisioned", null, cancellationToken), cancellationToken);

    private static async Task<CallOutcome<T>> CallAsync<T>(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return new CallOutcome<T>.Unavailable($"Auth is not reachable: {ex.Message}");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return new CallOutcome<T>.Done((await response.Content.ReadFromJsonAsync<T>(cancellationToken))!);
            }
            if ((int)response.StatusCode is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            {
                var problem = await ReadProblemAsync(response, cancellationToken);
                return new CallOutcome<T>.Refused((int)response.StatusCode, problem.Detail ?? problem.Title ?? response.ReasonPhrase ?? "refused", problem.Errors);
            }
            return new CallOutcome<T>.Unavailable($"Auth answered {(int)response.StatusCode}.");
        }
    }

    private sealed record Problem(string? Title, string? Detail, Dictionary<string, string[]>? Errors);

    private static async Task<Problem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<Problem>(cancellationToken) ?? new Problem(null, null, null);
        }
        catch (JsonException)
        {
            return new Problem(null, null, null);
        }
    }
}
