using System.Net.Http.Json;
using System.Text.Json;
using Codex.Crm.Apis;
using Codex.Crm.Extensions;
using Codex.Crm.Infrastructure;
using Codex.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Codex.Crm.Tests;

/// <summary>
/// The real CRM (on a crmdb of its own) in the platform stack: tenants are created through Platform, so
/// <c>platform.tenant.created</c> reaches CRM, and calls go through the gateway with a key and a token.
/// </summary>
public sealed class CrmStack : PlatformStack
{
    public TestApp Crm { get; private set; } = null!;
    public string CrmDatabase { get; } = $"crm_{Guid.NewGuid():N}"[..20];

    /// <summary>The test's own view of crmdb (the admin's); CRM signs in as its app role.</summary>
    public string CrmConnectionString => CrmRoles.Admin;

    public ServiceDatabase CrmRoles { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> StartDownstreamAsync()
    {
        (Crm, CrmRoles, _) = await StartServiceAsync(ResourceNames.Services.Crm, ResourceNames.Databases.Crm, CrmDatabase,
            builder => builder.AddApplicationServices(), app => app.MapCrmEndpoints(),
            services => services.MigrateDatabaseAsync<CrmDbContext>(ResourceNames.Databases.Crm), "Codex.Crm");
        return new Dictionary<string, string?> { [$"services:{ResourceNames.Services.Crm}:http:0"] = Crm.Address.ToString().TrimEnd('/') };
    }

    public override async ValueTask DisposeAsync()
    {
        var queue = Crm.Services.GetRequiredService<IOptions<EventBusOptions>>().Value;
        await base.DisposeAsync();
        await Crm.DisposeAsync();
        await DeleteQueuesAsync(queue);
    }

    /// <summary>A scalar from crmdb.</summary>
    public Task<T> CrmScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<T>(CrmConnectionString, sql, parameters);

    public Task<long> CountAsync(string table, string tenantId) =>
        CrmScalarAsync<long>($"SELECT count(*) FROM {table} WHERE tenant_id = @t", ("t", tenantId));

    /// <summary>A tenant made through Platform whose default pipeline CRM has seeded from the event.</summary>
    public async Task<ProvisionedTenant> CreateCrmTenantAsync()
    {
        var tenant = await CreateTenantAsync();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await CountAsync("pipelines", tenant.Id) == 1, TimeSpan.FromSeconds(10)),
            "CRM did not seed the default pipeline from platform.tenant.created");
        return tenant;
    }
}

/// <summary>Small request helpers the CRM tests share.</summary>
public static class CrmCalls
{
    public static async Task<JsonElement> CreateCustomerAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/crm/customers", body);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> CreateLeadAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/crm/leads", body);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ReadAsync<JsonElement>();
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static IReadOnlyList<JsonElement> Items(this JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];
}
