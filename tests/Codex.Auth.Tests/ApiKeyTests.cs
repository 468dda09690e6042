using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;
using Codex.Contracts;
using Codex.Testing;

namespace Codex.Auth.Tests;

public sealed class ApiKeyTests(AuthService auth) : IClassFixture<AuthService>
{
    private const string KeysPath = "/api/v1/auth/api-keys";
    private const string IntrospectPath = "/internal/api-keys/introspect";

    [Fact]
    public async Task An_admin_creates_a_key_whose_secret_is_shown_once_and_the_list_shows_only_its_prefix()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var response = await admin.Client.PostAsJsonAsync(KeysPath, new CreateApiKeyRequest("ci", ["crm.leads.read"]));
        var created = await response.ReadAsync<CreatedApiKey>();
        using var list = await admin.Client.GetAsync(KeysPath);
        var listJson = await list.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("cdx_", created.Key);
        Assert.StartsWith("cdx_", created.ApiKey.Prefix);
        Assert.StartsWith(created.ApiKey.Prefix, created.Key);
        Assert.NotEqual(created.ApiKey.Prefix, created.Key);
        var listed = Assert.Single(await list.ReadAsync<List<ApiKeyDto>>(), k => k.Id == created.ApiKey.Id);
        Assert.Equal(created.ApiKey.Prefix, listed.Prefix);
        Assert.Equal("ci", listed.Name);
        Assert.Equal("crm.leads.read", Assert.Single(listed.Scopes));
        Assert.Null(listed.RevokedAt);
        Assert.DoesNotContain(created.Key, listJson);
        Assert.DoesNotContain(SecretOf(created.Key), listJson);
    }

    [Fact]
    public async Task The_database_holds_neither_keys_nor_refresh_tokens_in_plain_text()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var created = await CreateKeyAsync(admin, new CreateApiKeyRequest("backup", ["crm.leads.read"]));
        var refreshToken = admin.Tokens.RefreshToken;
        string[] secrets = [created.Key, SecretOf(created.Key), refreshToken, refreshToken["cdxr_".Length..]];

        var stored = new Dictionary<string, string>();
        foreach (var table in new[] { "api_keys", "refresh_tokens", "sessions", "auth_events", "outbox_messages" })
        {
            // Each table's rows as text, labelled so a failure says where the secret was found.
            stored[table] = $"{table}: " + await auth.ScalarAsync<string>($"SELECT coalesce(string_agg(t::text, ' '), '') FROM {table} t");
        }
        var keyHash = await auth.ScalarAsync<byte[]>($"SELECT key_hash FROM api_keys WHERE id = '{created.ApiKey.Id}'");
        var refreshHashHex = Convert.ToHexString(Sha256(refreshToken));

        Assert.Contains(created.ApiKey.Prefix, stored["api_keys"]);
        foreach (var rows in stored.Values)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, rows);
            }
        }
        Assert.Equal(Convert.ToHexString(Sha256(created.Key)), Convert.ToHexString(keyHash));
        Assert.Equal(1, await auth.ScalarAsync<long>($"SELECT count(*) FROM refresh_tokens WHERE token_hash = decode('{refreshHashHex}', 'hex')"));
    }

    [Fact]
    public async Task Introspection_answers_the_tenant_and_scopes_of_a_key_and_why_a_key_is_not_accepted()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var created = await CreateKeyAsync(admin, new CreateApiKeyRequest("gateway", ["crm.leads.read"]));

        var plain = await IntrospectAsync(created.Key);
        var heldScope = await IntrospectAsync(created.Key, "crm.leads.read");
        var missingScope = await IntrospectAsync(created.Key, "crm.leads.write");
        var unknown = await IntrospectAsync($"cdx_unknown0.{Guid.NewGuid():N}");

        Assert.True(plain.Active);
        Assert.Equal(admin.Tenant, plain.TenantId);
        Assert.Equal(created.ApiKey.Id, plain.KeyId);
        Assert.Equal(created.ApiKey.Prefix, plain.Prefix);
        Assert.Equal("crm.leads.read", Assert.Single(plain.Scopes!));
        Assert.Null(plain.Reason);
        Assert.True(heldScope.Active);
        Assert.False(missingScope.Active);
        Assert.Equal("insufficient_scope", missingScope.Reason);
        Assert.False(unknown.Active);
        Assert.Equal("unknown", unknown.Reason);
        Assert.Null(unknown.TenantId);
    }

    [Fact]
    public async Task A_revoked_key_is_no_longer_accepted_and_its_revocation_is_published()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var created = await CreateKeyAsync(admin, new CreateApiKeyRequest("leaving", ["crm.leads.read"]));

        using var revoke = await admin.Client.DeleteAsync($"{KeysPath}/{created.ApiKey.Id}");
        var introspected = await IntrospectAsync(created.Key);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.False(introspected.Active);
        Assert.Equal("revoked", introspected.Reason);
        var revoked = await auth.LastEventAsync("auth.apikey.revoked");
        Assert.Equal(created.ApiKey.Id, revoked!.Value.GetProperty("apiKeyId").GetGuid());
        Assert.Equal(admin.Tenant, revoked!.Value.GetProperty("tenantId").GetString());
        var listed = Assert.Single(await (await admin.Client.GetAsync(KeysPath)).ReadAsync<List<ApiKeyDto>>(), k => k.Id == created.ApiKey.Id);
        Assert.NotNull(listed.RevokedAt);
    }

    [Fact]
    public async Task A_key_stops_working_when_it_expires_and_cannot_be_created_already_expired()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var created = await CreateKeyAsync(admin, new CreateApiKeyRequest("short-lived", ["crm.leads.read"], expiresAt));

        await WaitUntilAsync(expiresAt.AddSeconds(1));
        var introspected = await IntrospectAsync(created.Key);
        using var inThePast = await admin.Client.PostAsJsonAsync(KeysPath, new CreateApiKeyRequest("already-expired", ["crm.leads.read"], DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.False(introspected.Active);
        Assert.Equal("expired", introspected.Reason);
        await inThePast.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, await auth.ScalarAsync<long>($"SELECT count(*) FROM api_keys WHERE tenant_id = '{admin.Tenant}' AND name = 'already-expired'"));
    }

    [Fact]
    public async Task A_key_cannot_hold_a_scope_its_creator_lacks()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var response = await admin.Client.PostAsJsonAsync(KeysPath, new CreateApiKeyRequest("escalation", ["crm.leads.read", "platform.tenants.write"]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "scope_not_held");
        Assert.Contains("platform.tenants.write", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await auth.ScalarAsync<long>($"SELECT count(*) FROM api_keys WHERE tenant_id = '{admin.Tenant}'"));
    }

    [Fact]
    public async Task A_readonly_member_cannot_create_keys()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var email = $"reader@{admin.Tenant}.test";
        await auth.CreateUserAsync(admin.Tenant, email, AuthService.TenantPassword, ["readonly"]);
        var tokens = await auth.LoginAsync(email, AuthService.TenantPassword, admin.Tenant);
        using var reader = auth.ClientWith(tokens.AccessToken);

        using var response = await reader.PostAsJsonAsync(KeysPath, new CreateApiKeyRequest("reader-key", ["crm.leads.read"]));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await auth.ScalarAsync<long>($"SELECT count(*) FROM api_keys WHERE tenant_id = '{admin.Tenant}'"));
    }

    [Fact]
    public async Task A_suspended_tenant_can_use_neither_keys_nor_sign_in_until_reactivated()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var created = await CreateKeyAsync(admin, new CreateApiKeyRequest("suspended", ["crm.leads.read"]));

        await auth.PublishAsync(new TenantSuspended(admin.Tenant, "unpaid"));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await TenantStatusAsync(admin.Tenant) == "Suspended", TimeSpan.FromSeconds(15)),
            $"tenant {admin.Tenant} was not suspended in the replica");
        var introspected = await IntrospectAsync(created.Key);
        using var login = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, AuthService.TenantPassword, admin.Tenant));

        Assert.False(introspected.Active);
        Assert.Equal("tenant_suspended", introspected.Reason);
        await login.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_suspended");
        await auth.PublishAsync(new TenantReactivated(admin.Tenant));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await TenantStatusAsync(admin.Tenant) == "Active", TimeSpan.FromSeconds(15)),
            $"tenant {admin.Tenant} was not reactivated in the replica");
        var tokens = await auth.LoginAsync(admin.Email, AuthService.TenantPassword, admin.Tenant);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
        Assert.True((await IntrospectAsync(created.Key)).Active);
    }

    private static async Task<CreatedApiKey> CreateKeyAsync(TenantAdmin admin, CreateApiKeyRequest request)
    {
        using var response = await admin.Client.PostAsJsonAsync(KeysPath, request);
        return await response.ReadAsync<CreatedApiKey>();
    }

    private async Task<IntrospectResponse> IntrospectAsync(string key, string? scope = null)
    {
        using var gateway = await TestServiceIdentities.ClientAsync(auth.App.Address, auth.App.Address, ResourceNames.Services.Gateway, ResourceNames.Services.Auth);
        using var response = await gateway.PostAsJsonAsync(IntrospectPath, new IntrospectRequest(key, scope));
        return await response.ReadAsync<IntrospectResponse>();
    }

    private Task<string> TenantStatusAsync(string tenant) =>
        auth.ScalarAsync<string>($"SELECT status FROM tenants WHERE id = '{tenant}'");

    // A key is cdx_<visible>.<secret>; the part after the dot is what must never be stored or listed.
    private static string SecretOf(string key) => key[(key.IndexOf('.') + 1)..];

    private static byte[] Sha256(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
