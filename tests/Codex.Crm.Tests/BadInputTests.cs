using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Codex.Crm.Tests;

/// <summary>
/// Input that once answered 500, 502 or a reset connection, sent through the gateway as a client would: each
/// is now a problem+json 4xx and writes nothing.
/// </summary>
public sealed class BadInputTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task A_nul_character_in_a_body_a_query_or_a_csv_cell_is_a_400_and_writes_nothing()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;

        using var body = await api.PostAsJsonAsync("/api/v1/crm/customers", new { name = "Ada\0Lovelace" });
        using var nested = await api.PostAsJsonAsync("/api/v1/crm/customers", new { name = "Ada", tags = new[] { "v\0ip" } });
        using var query = await api.GetAsync("/api/v1/crm/customers?search=a%00b");
        using var csv = await api.PostAsync("/api/v1/crm/customers/import",
            new StringContent("name,email\nGrace,grace@example.test\nAda\0,ada@example.test\n", Encoding.UTF8, "text/csv"));

        await body.AssertProblemAsync(HttpStatusCode.BadRequest);
        await nested.AssertProblemAsync(HttpStatusCode.BadRequest);
        await query.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_characters");
        var report = await csv.ReadAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("imported").GetInt32());
        Assert.Equal(3, report.GetProperty("errors")[0].GetProperty("line").GetInt32());
        Assert.Equal(1, await stack.CountAsync("customers", tenant.Id));
    }

    [Fact]
    public async Task Page_numbers_beyond_any_list_are_a_400_at_every_paged_route()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        using var root = await stack.SuperadminAsync();

        using var users = await tenant.Admin.GetAsync($"/api/v1/auth/users?page={int.MaxValue}");
        using var tenants = await root.GetAsync($"/api/v1/platform/tenants?page={int.MaxValue}&pageSize=100");
        using var clients = await root.GetAsync("/api/v1/platform/clients?page=100001");
        using var tooBig = await root.GetAsync("/api/v1/platform/tenants?page=99999999999");

        foreach (var response in new[] { users, tenants, clients, tooBig })
        {
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task An_export_with_a_bad_filter_is_a_400_not_a_broken_download()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        await tenant.Admin.CreateCustomerAsync(new { name = "Ada" });

        using var status = await tenant.Admin.GetAsync("/api/v1/crm/customers/export?status=sleeping");
        using var search = await tenant.Admin.GetAsync($"/api/v1/crm/customers/export?search={new string('x', 201)}");

        await status.AssertProblemAsync(HttpStatusCode.BadRequest);
        await search.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_exported_cell_a_spreadsheet_would_run_is_text_and_imports_back_unchanged()
    {
        var source = await stack.CreateCrmTenantAsync();
        var target = await stack.CreateCrmTenantAsync();
        const string formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
        await source.Admin.CreateCustomerAsync(new { name = formula, phone = "+44 20 7946 0000", company = "@corp", source = "formula" });

        using var export = await source.Admin.GetAsync("/api/v1/crm/customers/export?source=formula");
        var csv = await export.Content.ReadAsStringAsync();
        using var import = await target.Admin.PostAsync("/api/v1/crm/customers/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        await import.ReadAsync<JsonElement>();
        var copy = Assert.Single((await target.Admin.GetJsonAsync("/api/v1/crm/customers")).GetProperty("items").EnumerateArray());

        var row = csv.Split('\n')[1];
        Assert.Contains("'=HYPERLINK", row);
        Assert.Contains("'+44", row);
        Assert.Contains("'@corp", row);
        Assert.DoesNotContain(",=", row);
        Assert.Equal(formula, copy.Str("name"));
        Assert.Equal("+44 20 7946 0000", copy.Str("phone"));
    }

    [Fact]
    public async Task The_gateway_refuses_a_body_over_the_services_limit_with_413_whether_its_length_is_declared_or_not()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var big = JsonSerializer.Serialize(new { name = "Big", customFields = new { blob = new string('x', (int)RequestBodyLimits.For(ResourceNames.Services.Crm)) } });

        using var declared = await tenant.Admin.PostAsync("/api/v1/crm/customers", new StringContent(big, Encoding.UTF8, "application/json"));
        using var chunked = await tenant.Admin.PostAsync("/api/v1/crm/customers", new ChunkedJson(big));
        // The import's own, larger limit holds at the gateway too: 2 MB of CSV reaches CRM, whose row limit answers.
        using var import = await tenant.Admin.PostAsync("/api/v1/crm/customers/import",
            new StringContent("name\n" + string.Concat(Enumerable.Repeat("Someone with a long name\n", 80_000)), Encoding.UTF8, "text/csv"));

        await declared.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await chunked.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var rowLimit = await import.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(rowLimit.GetProperty("errors").TryGetProperty("file", out _), rowLimit.ToString());
        Assert.Equal(0, await stack.CountAsync("customers", tenant.Id));
    }

    /// <summary>JSON sent without a Content-Length: the gateway stops it as it streams.</summary>
    private sealed class ChunkedJson(string json) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(Encoding.UTF8.GetBytes(json)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
