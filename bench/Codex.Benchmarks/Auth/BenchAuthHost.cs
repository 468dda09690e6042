using System.Net.Http.Json;
using Codex.Auth.Apis;
using Codex.Auth.Contracts;
using Codex.Auth.Extensions;
using Codex.Auth.Infrastructure;
using Codex.Security;
using Npgsql;
using static Codex.Benchmarks.Figures;

namespace Codex.Benchmarks.Auth;

/// <summary>
/// A real Auth for a benchmark: in-process on Kestrel, on a database of its own (dropped on dispose),
/// migrated and seeded like the migrate step, with a tenant <c>bench</c> and helpers to sign in.
/// </summary>
internal sealed class BenchAuthHost : IAsyncDisposable
{
    public const string Tenant = "bench";
    public const string Password = "Bench-Password-2026-long";
    private const string AdminEmail = "bench-root@codex.local";
    private const string AdminPassword = "Bench-Root-Password-2026";

    private readonly BenchApp _app;
    private readonly string _database;

    private BenchAuthHost(BenchApp app, string database)
    {
        _app = app;
        _database = database;
        Http = new HttpClient { BaseAddress = new Uri(app.Address) };
    }

    public string Address => _app.Address;
    public HttpClient Http { get; }

    public static async Task<BenchAuthHost> StartAsync(string name, CancellationToken cancel)
    {
        var database = $"bench_{name}_{Environment.ProcessId}";
        await ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", cancel);
        await ExecuteAsync($"CREATE DATABASE {database}", cancel);

        var app = await BenchApp.StartAsync("Codex.Auth", new Dictionary<string, string?>(Codex.Testing.TestServiceIdentities.AuthClients)
        {
            [$"ConnectionStrings:{ResourceNames.Databases.Auth}"] = Connection(database),
            // The benchmark's own broker: without it Auth's relay would retry the default port all run long.
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = ConnectionString(ResourceNames.Messaging),
            ["EventBus:ServiceName"] = $"bench-{name}-auth",
            ["CODEX_ADMIN_EMAIL"] = AdminEmail,
            ["CODEX_ADMIN_PASSWORD"] = AdminPassword,
        }, builder => builder.AddApplicationServices(), app => app.MapAuthEndpoints(), cancel,
            beforeStart: app => AuthDatabase.MigrateAsync(app.Services, cancel));
        var host = new BenchAuthHost(app, database);
        await ExecuteAsync($"INSERT INTO tenants (id, name, plan, status, updated_at) VALUES ('{Tenant}', 'Bench', 'pro', 'Active', now())", cancel, database);
        return host;
    }

    /// <summary>Users of the tenant, created by the superadmin.</summary>
    public async Task<string[]> CreateUsersAsync(int count, string role, CancellationToken cancel)
    {
        var root = await LoginAsync(AdminEmail, AdminPassword, null, cancel);
        var users = Enumerable.Range(0, count).Select(i => $"{role}{i}@bench.test").ToArray();
        foreach (var email in users)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/users") { Content = JsonContent.Create(new CreateUserRequest(email, Password, [role])) };
            request.Headers.Authorization = new("Bearer", root);
            request.Headers.Add(CodexHeaders.TenantId, Tenant);
            using var created = await Http.SendAsync(request, cancel);
            if (!created.IsSuccessStatusCode)
            {
                throw new BenchmarkException($"creating {email} answered {(int)created.StatusCode}");
            }
        }
        return users;
    }

    /// <summary>Signs in and answers the access token.</summary>
    public async Task<string> LoginAsync(string email, string password, string? tenant, CancellationToken cancel)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, password, tenant), cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"login of {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel)}");
        }
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancel))!.AccessToken;
    }

    /// <summary>A tenant admin's token and a new API key of the tenant (scoped <c>crm.*</c> unless <paramref name="scopes"/> say otherwise).</summary>
    public async Task<(string Token, string Key)> AdminWithKeyAsync(CancellationToken cancel, string[]? scopes = null)
    {
        var admin = (await CreateUsersAsync(1, "admin", cancel))[0];
        var token = await LoginAsync(admin, Password, Tenant, cancel);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys") { Content = JsonContent.Create(new CreateApiKeyRequest("bench", scopes ?? ["crm.*"])) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"creating an API key answered {(int)response.StatusCode}");
        }
        return (token, (await response.Content.ReadFromJsonAsync<CreatedApiKey>(cancel))!.Key);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", CancellationToken.None);
    }

    private static string Connection(string database) =>
        new NpgsqlConnectionStringBuilder(Figures.ConnectionString("postgres")) { Database = database }.ConnectionString;

    private static async Task ExecuteAsync(string sql, CancellationToken cancel, string? database = null)
    {
        await using var connection = new NpgsqlConnection(database is null ? Figures.ConnectionString("postgres") : Connection(database));
        await connection.OpenAsync(cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancel);
    }
}
