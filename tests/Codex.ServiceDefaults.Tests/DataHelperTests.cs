using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Codex.ServiceDefaults.Tests;

public sealed class DataHelperTests
{
    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KWD", 3)]
    [InlineData("CLF", 4)]
    public void Known_currencies_have_their_minor_units(string code, int decimals)
    {
        Assert.True(Currencies.IsKnown(code));
        Assert.Equal(decimals, Currencies.MinorUnits(code));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("eur")]
    [InlineData("XAU")]
    [InlineData("HRK")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_withdrawn_lower_case_and_non_money_codes_are_refused(string? code) => Assert.False(Currencies.IsKnown(code));

    [Fact]
    public void An_amount_fits_a_currency_only_without_a_fraction_of_its_minor_unit()
    {
        Assert.True(Currencies.Fits(10.5m, "EUR"));
        Assert.False(Currencies.Fits(10.005m, "EUR"));
        Assert.False(Currencies.Fits(10.5m, "JPY"));
        Assert.True(Currencies.Fits(10.125m, "BHD"));
    }

    [Fact]
    public void A_cursor_round_trips_with_and_without_an_instant()
    {
        var id = Guid.CreateVersion7();
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);

        var timed = KeysetCursor.Decode(new KeysetCursor(at, id).Encode());
        var plain = KeysetCursor.Decode(new KeysetCursor(null, id).Encode());

        Assert.Equal(new KeysetCursor(at, id), timed);
        Assert.Equal(new KeysetCursor(null, id), plain);
        Assert.Null(KeysetCursor.Decode(null));
        Assert.Null(KeysetCursor.Decode(""));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("f_________________________________")]
    public void A_cursor_that_is_not_ours_is_a_400_naming_cursor(string cursor)
    {
        var error = Assert.Throws<ValidationException>(() => KeysetCursor.Decode(cursor));

        Assert.Equal(["cursor"], error.Errors.Keys);
    }

    [Fact]
    public void A_page_fetched_with_one_extra_row_has_a_next_cursor_at_its_last_item()
    {
        var rows = Enumerable.Range(0, 4).Select(_ => Guid.CreateVersion7()).ToList();

        var full = KeysetCursor.Page(rows, 3, id => new KeysetCursor(null, id), id => id);
        var last = KeysetCursor.Page(rows.Take(2).ToList(), 3, id => new KeysetCursor(null, id), id => id);

        Assert.Equal(rows.Take(3), full.Items);
        Assert.Equal(rows[2], KeysetCursor.Decode(full.NextCursor)!.Value.Id);
        Assert.Null(last.NextCursor);
    }

    [Fact]
    public void Field_errors_collect_every_message_and_throw_once()
    {
        var errors = new FieldErrors().Add("name", "required").AddIf(true, "name", "too long").AddIf(false, "email", "never");

        var thrown = Assert.Throws<ValidationException>(errors.ThrowIfAny);

        Assert.Equal(["required", "too long"], thrown.Errors["name"]);
        Assert.False(thrown.Errors.ContainsKey("email"));
        new FieldErrors().ThrowIfAny();
    }

    [Fact]
    public void Connection_strings_get_prepared_statements_and_no_reset_unless_they_say_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(CodexDbContextDefaults.WithReadDefaults("Host=db;Database=crmdb"));
        var explicitOff = new NpgsqlConnectionStringBuilder(CodexDbContextDefaults.WithReadDefaults("Host=db;Max Auto Prepare=0;No Reset On Close=false"));

        Assert.Equal(20, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("crmdb", tuned.Database);
        Assert.Equal(0, explicitOff.MaxAutoPrepare);
        Assert.False(explicitOff.NoResetOnClose);
    }
}
