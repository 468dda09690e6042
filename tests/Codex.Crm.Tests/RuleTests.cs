using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Codex.Crm.Contracts;
using Codex.Crm.Model;
using Codex.Crm.Services;

namespace Codex.Crm.Tests;

/// <summary>The rules on their own, without servers: what the API, the import and conversion all share.</summary>
public sealed class RuleTests
{
    [Fact]
    public void A_customer_is_normalized_and_indexed_for_search()
    {
        var customer = new Customer { TenantId = "t", Name = "" };
        var errors = new FieldErrors();

        CustomerRules.Apply(new CustomerRequest("  Ada  ", " Ada@Example.COM ", Company: "Engines", Status: "Prospect", Source: "Web",
            Tags: ["VIP", "vip ", "Math"], CustomFields: JsonSerializer.SerializeToElement(new { seats = 3 })), customer, errors);

        Assert.False(errors.Any);
        Assert.Equal("Ada", customer.Name);
        Assert.Equal("ada@example.com", customer.Email);
        Assert.Equal("prospect", customer.Status);
        Assert.Equal("web", customer.Source);
        Assert.Equal(["vip", "math"], customer.Tags);
        Assert.Equal("ada ada@example.com engines vip math", customer.SearchText);
    }

    [Fact]
    public void Every_bad_customer_field_is_reported_and_the_customer_is_left_unchanged()
    {
        var customer = new Customer { TenantId = "t", Name = "Before" };
        var errors = new FieldErrors();

        CustomerRules.Apply(new CustomerRequest("", "nope", Status: "gold", Source: "web site!", Tags: [new string('x', 51)],
            CustomFields: JsonSerializer.SerializeToElement("text")), customer, errors);

        Assert.Equal(["customFields", "email", "name", "source", "status", "tags"], errors.ToDictionary().Keys.Order());
        Assert.Equal("Before", customer.Name);
    }

    [Theory]
    [InlineData("Closed Won", "closed_won")]
    [InlineData("  Négociation — final ", "n_gociation_final")]
    [InlineData("Stage 2", "stage_2")]
    public void Stage_keys_are_made_from_names(string name, string key) => Assert.Equal(key, Slugs.From(name));

    [Fact]
    public void Lead_money_is_checked_against_its_currency()
    {
        var errors = new FieldErrors();

        Assert.Equal("EUR", LeadRules.Currency("eur", 10.50m, errors));
        LeadRules.Currency("JPY", 10.5m, errors);
        LeadRules.Currency("XYZ", 1m, errors);
        LeadRules.Probability(101, errors);
        Assert.Null(LeadRules.CloseDate("2027-02-30", errors));

        Assert.Equal(["currency", "expectedCloseDate", "probability", "value"], errors.ToDictionary().Keys.Order());
        Assert.Equal(new DateOnly(2027, 3, 31), LeadRules.CloseDate("2027-03-31", new FieldErrors()));
    }

    [Fact]
    public void The_model_matches_its_migrations()
    {
        var options = new DbContextOptionsBuilder<Codex.Crm.Infrastructure.CrmDbContext>().UseNpgsql("Host=unused");
        CodexDbContextDefaults.Options(options);
        using var db = new Codex.Crm.Infrastructure.CrmDbContext(options.Options);

        Assert.Equal("tenant_id", db.Model.FindEntityType(typeof(Customer))!.FindProperty(nameof(Customer.TenantId))!.GetColumnName());
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration's snapshot");
    }
}
