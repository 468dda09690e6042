using System.Net;
using System.Text;
using System.Text.Json;

namespace Codex.Crm.Tests;

public sealed class ImportExportTests(CrmStack stack) : IClassFixture<CrmStack>
{
    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task An_import_takes_every_valid_row_and_reports_every_invalid_row_by_line()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        await api.CreateCustomerAsync(new { name = "Existing", email = "taken@example.test" });
        const string file = """
            name,email,company,status,source,tags,custom_fields
            Ada,ada@example.test,Engines,active,import,vip;math,"{""seats"": 3}"
            ,nobody@example.test,,,,,
            Bob,not-an-email,,,,,
            Cleo,cleo@example.test,,archived,,,
            Dan,taken@example.test,,,,,
            Eve,eve@example.test,,,,,[1]
            Fay,ada@example.test,,,,,
            "Gus, Jr.",gus@example.test,"Quotes ""R"" Us",prospect,,,
            """;

        using var response = await api.PostAsync("/api/v1/crm/customers/import", Csv(file));
        var report = await response.ReadAsync<JsonElement>();
        var errors = report.GetProperty("errors").EnumerateArray().ToDictionary(
            e => e.GetProperty("line").GetInt32(), e => e.GetProperty("errors").EnumerateObject().Select(p => p.Name).Single());
        var gus = await api.GetJsonAsync("/api/v1/crm/customers?search=gus");
        var ada = Assert.Single((await api.GetJsonAsync("/api/v1/crm/customers?search=ada@example")).Items());

        Assert.Equal(2, report.GetProperty("imported").GetInt32());
        Assert.Equal(6, report.GetProperty("failed").GetInt32());
        Assert.Equal(new Dictionary<int, string> { [3] = "name", [4] = "email", [5] = "status", [6] = "email", [7] = "customFields", [8] = "email" }, errors);
        Assert.Equal("Quotes \"R\" Us", Assert.Single(gus.Items()).Str("company"));
        Assert.Equal(3, ada.GetProperty("customFields").GetProperty("seats").GetInt32());
        Assert.Equal(3, await stack.CountAsync("customers", tenant.Id));
        Assert.Equal(3, await stack.CrmScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE event_type = 'crm.customer.created' AND tenant_id = @t", ("t", tenant.Id)));
    }

    [Fact]
    public async Task A_file_that_is_not_a_customer_csv_is_refused_whole()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;

        using var unknownColumn = await api.PostAsync("/api/v1/crm/customers/import", Csv("name,shoe_size\nAda,38\n"));
        using var empty = await api.PostAsync("/api/v1/crm/customers/import", Csv(""));
        using var json = await api.PostAsync("/api/v1/crm/customers/import", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Contains("shoe_size", (await unknownColumn.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("file")[0].GetString());
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await stack.CountAsync("customers", tenant.Id));
    }

    [Fact]
    public async Task An_export_of_the_filtered_customers_imports_unchanged_into_another_tenant()
    {
        var source = await stack.CreateCrmTenantAsync();
        var target = await stack.CreateCrmTenantAsync();
        await source.Admin.CreateCustomerAsync(new { name = "Ada, Countess", email = "ada@example.test", tags = new[] { "vip", "math" }, customFields = new { note = "line1\nline2" }, source = "web" });
        await source.Admin.CreateCustomerAsync(new { name = "Not exported", source = "fair" });

        using var export = await source.Admin.GetAsync("/api/v1/crm/customers/export?source=web");
        var csv = await export.Content.ReadAsStringAsync();
        using var import = await target.Admin.PostAsync("/api/v1/crm/customers/import", Csv(csv));
        var report = await import.ReadAsync<JsonElement>();
        var copy = Assert.Single((await target.Admin.GetJsonAsync("/api/v1/crm/customers")).Items());

        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("id,name,email,phone,company,status,source,tags,custom_fields,created_at,updated_at", csv);
        Assert.Equal(1, report.GetProperty("imported").GetInt32());
        Assert.Equal("Ada, Countess", copy.Str("name"));
        Assert.Equal(["vip", "math"], copy.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("line1\nline2", copy.GetProperty("customFields").GetProperty("note").GetString());
    }
}
