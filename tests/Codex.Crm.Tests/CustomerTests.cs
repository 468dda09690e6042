using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Codex.Crm.Tests;

public sealed class CustomerTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task A_customer_is_created_read_updated_deleted_and_restored_with_an_event_for_each()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;

        var created = await api.CreateCustomerAsync(new
        {
            name = "Ada Lovelace", email = "Ada@Example.com", company = "Analytical Engines", status = "prospect", source = "Web",
            tags = new[] { "VIP", "math" }, customFields = new { tier = "gold", seats = 12 },
        });
        var id = created.Id();
        using var update = await api.PutAsJsonAsync($"/api/v1/crm/customers/{id}", new { name = "Ada King", email = "ada@example.com", status = "active", tags = new[] { "vip" } });
        var updated = await update.ReadAsync<JsonElement>();
        using var delete = await api.DeleteAsync($"/api/v1/crm/customers/{id}");
        using var afterDelete = await api.GetAsync($"/api/v1/crm/customers/{id}");
        var trash = await api.GetJsonAsync("/api/v1/crm/customers?deleted=true");
        using var restore = await api.PostAsync($"/api/v1/crm/customers/{id}/restore", null);
        var restored = await restore.ReadAsync<JsonElement>();

        Assert.Equal("ada@example.com", created.Str("email"));
        Assert.Equal("web", created.Str("source"));
        Assert.Equal(["vip", "math"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(12, created.GetProperty("customFields").GetProperty("seats").GetInt32());
        Assert.Equal("Ada King", updated.Str("name"));
        Assert.Equal("active", updated.Str("status"));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await afterDelete.AssertProblemAsync(HttpStatusCode.NotFound, "customer_not_found");
        Assert.Equal(id, Assert.Single(trash.Items()).Id());
        Assert.Equal(JsonValueKind.Null, restored.GetProperty("deletedAt").ValueKind);
        foreach (var type in new[] { "crm.customer.created", "crm.customer.updated", "crm.customer.deleted", "crm.customer.restored" })
        {
            Assert.True(await TestInfrastructure.EventuallyAsync(async () => await stack.AuditCountAsync(tenant.Id, type) == 1, TimeSpan.FromSeconds(10)), type);
        }
    }

    [Fact]
    public async Task Search_matches_name_email_company_and_tag_and_filters_combine_with_keyset_paging()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        await api.CreateCustomerAsync(new { name = "Grace Hopper", email = "grace@navy.test", company = "US Navy", source = "referral", tags = new[] { "cobol" } });
        await api.CreateCustomerAsync(new { name = "Alan Turing", email = "alan@bletchley.test", company = "Bletchley Park", status = "churned" });
        await api.CreateCustomerAsync(new { name = "Katherine Johnson", email = "kj@nasa.test", company = "NASA", source = "referral", tags = new[] { "orbits" } });
        for (var i = 0; i < 7; i++)
        {
            await api.CreateCustomerAsync(new { name = $"Filler {i}", source = "import" });
        }

        var byName = await api.GetJsonAsync("/api/v1/crm/customers?search=hopper");
        var byEmail = await api.GetJsonAsync("/api/v1/crm/customers?search=BLETCHLEY.test");
        var byCompany = await api.GetJsonAsync("/api/v1/crm/customers?search=nasa");
        var byTag = await api.GetJsonAsync("/api/v1/crm/customers?search=cobol");
        var wildcardIsLiteral = await api.GetJsonAsync("/api/v1/crm/customers?search=%25");
        var referral = await api.GetJsonAsync("/api/v1/crm/customers?source=referral");
        var churned = await api.GetJsonAsync("/api/v1/crm/customers?status=churned");
        var tagged = await api.GetJsonAsync("/api/v1/crm/customers?tag=orbits&source=referral");
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await api.GetJsonAsync($"/api/v1/crm/customers?limit=3{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.Items().Select(c => c.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal("Grace Hopper", Assert.Single(byName.Items()).Str("name"));
        Assert.Equal("Alan Turing", Assert.Single(byEmail.Items()).Str("name"));
        Assert.Equal("Katherine Johnson", Assert.Single(byCompany.Items()).Str("name"));
        Assert.Equal("Grace Hopper", Assert.Single(byTag.Items()).Str("name"));
        Assert.Empty(wildcardIsLiteral.Items());
        Assert.Equal(["Katherine Johnson", "Grace Hopper"], referral.Items().Select(c => c.Str("name")));
        Assert.Equal("Alan Turing", Assert.Single(churned.Items()).Str("name"));
        Assert.Equal("Katherine Johnson", Assert.Single(tagged.Items()).Str("name"));
        Assert.Equal(10, seen.Count);
        Assert.Equal(10, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(g => g.ToString()).ToList(), seen);
    }

    [Fact]
    public async Task Bad_customers_get_field_errors_and_nothing_is_written()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var bigFields = Enumerable.Range(0, 40).ToDictionary(i => $"field{i}", _ => new string('x', 500));

        using var invalid = await api.PostAsJsonAsync("/api/v1/crm/customers", new { name = "", email = "not-an-email", status = "vip", tags = new[] { "" } });
        using var notAnObject = await api.PostAsJsonAsync("/api/v1/crm/customers", new { name = "A", customFields = new[] { 1, 2 } });
        using var tooManyFields = await api.PostAsJsonAsync("/api/v1/crm/customers", new { name = "A", customFields = bigFields });
        using var tenMegabytes = await api.PostAsync("/api/v1/crm/customers", new StringContent(
            $"{{\"name\":\"A\",\"customFields\":{{\"blob\":\"{new string('x', 10 * 1024 * 1024)}\"}}}}", Encoding.UTF8, "application/json"));
        using var badCursor = await api.GetAsync("/api/v1/crm/customers?cursor=nonsense");
        using var badLimit = await api.GetAsync("/api/v1/crm/customers?limit=1000");

        var problem = await invalid.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("email", out _), problem.ToString());
        await notAnObject.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await tooManyFields.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("customFields", out _));
        await tenMegabytes.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.True((await badCursor.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("cursor", out _));
        Assert.True((await badLimit.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("limit", out _));
        Assert.Equal(0, await stack.CountAsync("customers", tenant.Id));
        Assert.Equal(0, await stack.CrmScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE event_type = 'crm.customer.created' AND tenant_id = @t", ("t", tenant.Id)));
    }

    [Fact]
    public async Task A_second_customer_with_the_same_email_is_a_conflict_until_the_first_is_deleted()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var first = await api.CreateCustomerAsync(new { name = "First", email = "same@example.test" });

        using var duplicate = await api.PostAsJsonAsync("/api/v1/crm/customers", new { name = "Second", email = "SAME@example.test" });
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_email");
        using var delete = await api.DeleteAsync($"/api/v1/crm/customers/{first.Id()}");
        var second = await api.CreateCustomerAsync(new { name = "Second", email = "same@example.test" });
        using var restoreFirst = await api.PostAsync($"/api/v1/crm/customers/{first.Id()}/restore", null);

        Assert.NotEqual(first.Id(), second.Id());
        await restoreFirst.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_email");
    }

    [Fact]
    public async Task Another_tenants_customer_is_not_found_on_every_endpoint()
    {
        var owner = await stack.CreateCrmTenantAsync();
        var other = await stack.CreateCrmTenantAsync();
        var customer = await owner.Admin.CreateCustomerAsync(new { name = "Private Person", email = "private@owner.test" });
        var id = customer.Id();

        using var get = await other.Admin.GetAsync($"/api/v1/crm/customers/{id}");
        using var put = await other.Admin.PutAsJsonAsync($"/api/v1/crm/customers/{id}", new { name = "Hijacked" });
        using var delete = await other.Admin.DeleteAsync($"/api/v1/crm/customers/{id}");
        using var restore = await other.Admin.PostAsync($"/api/v1/crm/customers/{id}/restore", null);
        using var timeline = await other.Admin.GetAsync($"/api/v1/crm/customers/{id}/timeline");
        using var lead = await other.Admin.PostAsJsonAsync("/api/v1/crm/leads", new { title = "Poach", currency = "EUR", customerId = id });
        using var note = await other.Admin.PostAsJsonAsync("/api/v1/crm/interactions", new { kind = "note", customerId = id });
        var search = await other.Admin.GetJsonAsync("/api/v1/crm/customers?search=private");
        var mine = await owner.Admin.GetJsonAsync($"/api/v1/crm/customers/{id}");

        foreach (var response in new[] { get, put, delete, restore, timeline, lead, note })
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Empty(search.Items());
        Assert.Equal("Private Person", mine.Str("name"));
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("deletedAt").ValueKind);
    }

    [Fact]
    public async Task Customers_need_crm_permissions_a_readonly_user_reads_but_cannot_write()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var email = $"reader@{tenant.Id}.test";
        using (var create = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/users", new { email, password = AuthService.TenantPassword, roles = new[] { "readonly" } }))
        {
            await create.ReadAsync<JsonElement>();
        }
        using var login = stack.GatewayClient(key: tenant.ApiKey);
        using var signIn = await login.PostAsJsonAsync("/api/v1/auth/login", new { email, password = AuthService.TenantPassword });
        var token = (await signIn.ReadAsync<JsonElement>()).Str("accessToken");
        using var reader = stack.GatewayClient(tenant.ApiKey, token);
        using var anonymous = stack.GatewayClient();

        using var read = await reader.GetAsync("/api/v1/crm/customers");
        using var write = await reader.PostAsJsonAsync("/api/v1/crm/customers", new { name = "Nope" });
        using var nobody = await anonymous.GetAsync("/api/v1/crm/customers");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await write.AssertProblemAsync(HttpStatusCode.Forbidden);
        await nobody.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await stack.CountAsync("customers", tenant.Id));
    }
}
