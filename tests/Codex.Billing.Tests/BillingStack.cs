using System.Net.Http.Json;
using System.Text.Json;
using Codex.Billing.Apis;
using Codex.Billing.Infrastructure;
using Codex.Billing.Payments;
using Codex.Billing.Services;
using Codex.Crm.Apis;
using Codex.Crm.Infrastructure;
using Codex.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using BillingServices = Codex.Billing.Extensions.Extensions;
using CrmServices = Codex.Crm.Extensions.Extensions;

namespace Codex.Billing.Tests;

/// <summary>
/// The real CRM and Billing (each on a database of its own) in the platform stack: tenants come from Platform, customers
/// from CRM by its events, calls go through the gateway. Billing's clock is <see cref="Clock"/>, which a test may set.
/// </summary>
public sealed class BillingStack : PlatformStack
{
    public TestApp Crm { get; private set; } = null!;
    public TestApp Billing { get; private set; } = null!;
    public ServiceDatabase BillingRoles { get; private set; } = null!;
    public TestBillingClock Clock { get; } = new();

    /// <summary>The payment provider Billing runs here; a test queues a customer's outcomes on it.</summary>
    public LocalPaymentProvider Payments => Billing.Services.GetRequiredService<LocalPaymentProvider>();

    protected override async Task<IDictionary<string, string?>> StartDownstreamAsync()
    {
        (Crm, _, _) = await StartServiceAsync(ResourceNames.Services.Crm, ResourceNames.Databases.Crm, $"crm_{Guid.NewGuid():N}"[..20],
            builder => CrmServices.AddApplicationServices(builder), app => app.MapCrmEndpoints(),
            services => services.MigrateDatabaseAsync<CrmDbContext>(ResourceNames.Databases.Crm), "Codex.Crm");
        (Billing, BillingRoles, _) = await StartServiceAsync(ResourceNames.Services.Billing, ResourceNames.Databases.Billing, $"bill_{Guid.NewGuid():N}"[..20],
            builder =>
            {
                builder.Services.AddSingleton<BillingClock>(Clock);
                BillingServices.AddApplicationServices(builder);
            },
            app => app.MapBillingEndpoints(),
            services => services.MigrateDatabaseAsync<BillingDbContext>(ResourceNames.Databases.Billing), "Codex.Billing",
            new Dictionary<string, string?>
            {
                ["Billing:Scheduler:PollInterval"] = "00:00:00.200",
                ["Billing:Webhooks:PollInterval"] = "00:00:00.100",
                ["Billing:Webhooks:RetryBase"] = "00:00:00.200",
                ["Billing:Webhooks:MaxAttempts"] = "3",
                ["Billing:Webhooks:AllowInsecureUrls"] = "true",
            });
        await EventBusConsumers.WaitForAsync(Billing.Services);
        return new Dictionary<string, string?>
        {
            [$"services:{ResourceNames.Services.Crm}:http:0"] = Crm.Address.ToString().TrimEnd('/'),
            [$"services:{ResourceNames.Services.Billing}:http:0"] = Billing.Address.ToString().TrimEnd('/'),
        };
    }

    public override async ValueTask DisposeAsync()
    {
        var queues = new[] { Crm, Billing }.Select(app => app.Services.GetRequiredService<IOptions<EventBusOptions>>().Value).ToList();
        await base.DisposeAsync();
        await Billing.DisposeAsync();
        await Crm.DisposeAsync();
        foreach (var queue in queues)
        {
            await DeleteQueuesAsync(queue);
        }
    }

    /// <summary>A scalar from billingdb (as its admin, past row-level security).</summary>
    public Task<T> BillingScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<T>(BillingRoles.Admin, sql, parameters);

    public Task<long> CountAsync(string table, string tenantId) =>
        BillingScalarAsync<long>($"SELECT count(*) FROM {table} WHERE tenant_id = @t", ("t", tenantId));

    /// <summary>The event types Billing has written for a tenant, oldest first; <paramref name="subscriptionsOnly"/> leaves out invoices and payments.</summary>
    public async Task<IReadOnlyList<string>> EventTypesAsync(string tenantId, bool subscriptionsOnly = false)
    {
        await using var connection = new Npgsql.NpgsqlConnection(BillingRoles.Admin);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT event_type FROM outbox_messages WHERE tenant_id = @t ORDER BY sequence", connection);
        command.Parameters.AddWithValue("t", tenantId);
        var types = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }
        return subscriptionsOnly ? types.Where(t => !t.StartsWith("billing.invoice.", StringComparison.Ordinal) && !t.StartsWith("billing.payment.", StringComparison.Ordinal)).ToList() : types;
    }

    /// <summary>A customer made in CRM through the gateway, once Billing has it from CRM's event.</summary>
    public async Task<Guid> CreateCustomerAsync(ProvisionedTenant tenant, string name = "Ada Ltd")
    {
        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/crm/customers", new { name });
        var id = (await response.ReadAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True(await TestInfrastructure.EventuallyAsync(
            async () => await BillingScalarAsync<long>("SELECT count(*) FROM customers WHERE id = @id", ("id", id)) == 1, TimeSpan.FromSeconds(15)),
            "Billing never learnt of the customer from CRM's event");
        return id;
    }
}

/// <summary>Billing's clock for the tests: real time unless a test sets <see cref="At"/>.</summary>
public sealed class TestBillingClock() : BillingClock(TimeProvider.System)
{
    public DateTimeOffset? At { get; set; }

    public override DateTimeOffset Now => At ?? base.Now;
}

/// <summary>Request helpers the billing tests share.</summary>
public static class BillingCalls
{
    public static async Task<JsonElement> PostOkAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> PutOkAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetOkAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ReadAsync<JsonElement>();
    }

    /// <summary>A monthly plan in EUR with the given fixed amount and usage charges.</summary>
    public static object MonthlyPlan(string code, decimal amount, object[]? charges = null, int trialDays = 0, object? entitlements = null, string currency = "EUR") => new
    {
        code, name = code, amount, currency, interval = "month", trialDays, charges = charges ?? [], entitlements,
    };

    /// <summary>Sets the tenant's billing settings (tax, prefix, draft window, dunning).</summary>
    public static Task<JsonElement> SettingsAsync(this HttpClient client, decimal taxRate = 0, string prefix = "INV", int draftHours = 0, int[]? retryDays = null, int cancelAfterDays = 7) =>
        client.PutOkAsync("/api/v1/billing/settings", new { taxRate, invoicePrefix = prefix, draftHours, retryDays = retryDays ?? [1, 3, 5], cancelAfterDays });

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static decimal Dec(this JsonElement element, string name) => element.GetProperty(name).GetDecimal();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
