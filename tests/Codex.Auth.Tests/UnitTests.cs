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
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1234567890, "005924")]
    [InlineData(20000000000, "353130")]
    public void Totp_matches_the_RFC_6238_test_vectors(long unixSeconds, string code)
    {
        var secret = "12345678901234567890"u8.ToArray();

        Assert.Equal(code, Totp.Code(secret, unixSeconds / 30));
    }

    [Fact]
    public void Totp_accepts_one_step_either_side_and_no_further()
    {
        var secret = "12345678901234567890"u8.ToArray();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = Totp.StepAt(now);

        Assert.Equal(step - 1, Totp.Match(secret, Totp.Code(secret, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(secret, Totp.Code(secret, step + 1), now));
        Assert.Null(Totp.Match(secret, Totp.Code(secret, step + 2), now));
        Assert.Null(Totp.Match(secret, Totp.Code(secret, step - 2), now));
        Assert.Null(Totp.Match(secret, "12345", now));
    }

    [Fact]
    public void Base32_round_trips_and_reads_RFC_4648_text()
    {
        var bytes = "foobar"u8.ToArray();

        Assert.Equal("MZXW6YTBOI", Base32.Encode(bytes));
        Assert.Equal(bytes, Base32.Decode("MZXW6YTBOI======"));
    }

    [Theory]
    [InlineData("password1234", true)]
    [InlineData("PASSWORD1234", true)]
    [InlineData("correct horse battery staple 2026", false)]
    public void The_shipped_common_password_list_is_consulted_case_insensitively(string password, bool common) =>
        Assert.Equal(common, CommonPasswordValidator.IsCommon(password));

    [Theory]
    [InlineData("NormalizedEmail", "normalized_email")]
    [InlineData("TenantId", "tenant_id")]
    [InlineData("IPAddress", "ip_address")]
    [InlineData("Id", "id")]
    public void Snake_case_names_follow_the_seed_schema(string name, string expected) =>
        Assert.Equal(expected, SnakeCaseNames.ToSnakeCase(name));
}
