using Codex.Auth.Infrastructure;
using Codex.Auth.Identity;
using Codex.Security.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("crm.leads.write", "crm.leads.write", true)]
    [InlineData("crm.*", "crm.leads.write", true)]
    [InlineData("crm.*", "crm", false)]
    [InlineData("*", "billing.invoices.read", true)]
    [InlineData("*.*.read", "crm.leads.read", true)]
    [InlineData("*.*.read", "crm.leads.write", false)]
    [InlineData("crm.leads.read", "crm.leads.write", false)]
    [InlineData("crm.leads", "crm.leads.write", false)]
    [InlineData("crm.leads.write", "crm.leads", false)]
    public void Permission_grants_cover_what_their_wildcards_say(string grant, string required, bool covers) =>
        Assert.Equal(covers, Permissions.Covers(grant, required));

    [Theory]
    [InlineData("crm.read", "crm.*.read")]
    [InlineData("crm.write", "crm.*.write")]
    [InlineData("*.read", "*.*.read")]
    [InlineData("crm.*", "crm.*")]
    [InlineData("crm.leads.read", "crm.leads.read")]
    [InlineData("crm.leads", "crm.leads")]
    public void A_service_wide_scope_is_written_out_in_full(string scope, string normalized) =>
        Assert.Equal(normalized, Permissions.Normalize(scope));

    [Theory]
    [InlineData("crm.*.read", "crm", "read", true)]
    [InlineData("crm.*.read", "crm", "write", false)]
    [InlineData("crm.*.read", "auth", "read", false)]
    [InlineData("crm.leads.write", "crm", "write", true)]
    [InlineData("crm.leads.write", "crm", "read", false)]
    [InlineData("crm.*", "crm", "write", true)]
    [InlineData("crm.*", "billing", "read", false)]
    [InlineData("*.*.read", "billing", "read", true)]
    [InlineData("*.*.read", "billing", "write", false)]
    [InlineData("*", "platform", "write", true)]
    [InlineData("crm.leads", "crm", "read", false)]
    [InlineData("crm.leads.read.extra", "crm", "read", false)]
    public void The_gateway_s_check_asks_whether_a_scope_reaches_the_service_and_action(string grant, string service, string action, bool reaches) =>
        Assert.Equal(reaches, Permissions.Reaches([grant], service, action));

    [Fact]
    public void A_code_is_accepted_one_step_either_side_of_now_and_no_further()
    {
        const string key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";   // RFC 6238's secret, base32 as Identity stores it
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key));
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        string At(int steps) => totp.ComputeTotp(now.UtcDateTime.AddSeconds(30 * steps));
        var step = now.ToUnixTimeSeconds() / 30;

        Assert.Equal(step, TotpTokenProvider.MatchStep(key, At(0), now));
        Assert.Equal(step - 1, TotpTokenProvider.MatchStep(key, At(-1), now));
        Assert.Equal(step + 1, TotpTokenProvider.MatchStep(key, At(1)[..3] + " " + At(1)[3..], now));
        Assert.Null(TotpTokenProvider.MatchStep(key, At(2), now));
        Assert.Null(TotpTokenProvider.MatchStep(key, At(-2), now));
        Assert.Null(TotpTokenProvider.MatchStep(key, "12345", now));
        Assert.Null(TotpTokenProvider.MatchStep(key, "12345a", now));
    }

    [Theory]
    [InlineData("password1234", true)]
    [InlineData("PASSWORD1234", true)]
    [InlineData("correct horse battery staple 2026", false)]
    public void The_shipped_common_password_list_is_consulted_case_insensitively(string password, bool common) =>
        Assert.Equal(common, CommonPasswordValidator.IsCommon(password));

    [Fact]
    public void The_model_has_the_seed_schema_s_snake_case_names_and_matches_its_migrations()
    {
        var options = new DbContextOptionsBuilder<AuthDbContext>().UseNpgsql("Host=unused");
        CodexDbContextDefaults.Options(options);
        using var db = new AuthDbContext(options.Options);

        var users = db.Model.FindEntityType(typeof(Model.User))!;
        Assert.Equal("users", users.GetTableName());
        Assert.Equal("normalized_email", users.FindProperty(nameof(Model.User.NormalizedEmail))!.GetColumnName());
        Assert.Equal("tenant_id", users.FindProperty(nameof(Model.User.TenantId))!.GetColumnName());
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration's snapshot");
    }
}
