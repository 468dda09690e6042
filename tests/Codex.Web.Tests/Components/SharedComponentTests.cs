using System.Net;
using System.Text;
using System.Text.Json;
using Codex.Web.Api;
using Codex.Web.Components.Shared;
using Radzen;

namespace Codex.Web.Tests.Components;

public sealed class SharedComponentTests : BunitContext
{
    public SharedComponentTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Radzen's charts measure their box through JS before drawing.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true)
            .SetResult(new Radzen.Blazor.Rendering.Rect { Width = 600, Height = 240 });
        Services.AddRadzenComponents();
    }

    [Fact]
    public async Task A_problem_is_shown_as_its_sentence_and_field_messages_never_as_json()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent(
                """{"type":"x","title":"One or more fields are not valid.","status":400,"code":"validation_failed","errors":{"id":["Use lower-case letters."],"adminEmail":["Not an email."]}}""",
                Encoding.UTF8, "application/problem+json"),
        };
        var problem = PageProblem.From(await ApiProblemException.FromAsync(response));

        var cut = Render<ProblemAlert>(p => p.Add(x => x.Problem, problem));

        Assert.Equal("alert", cut.Find(".notice").GetAttribute("role"));
        Assert.Contains("One or more fields are not valid.", cut.Markup);
        Assert.Equal(["id: Use lower-case letters.", "adminEmail: Not an email."], cut.FindAll("li").Select(li => li.TextContent));
        Assert.DoesNotContain("{", cut.Find(".notice").TextContent);
    }

    [Fact]
    public void No_problem_renders_nothing()
    {
        var cut = Render<ProblemAlert>(p => p.Add(x => x.Problem, null));

        Assert.Empty(cut.Markup.Trim());
    }

    [Theory]
    [InlineData(1, 3, false, true)]
    [InlineData(2, 3, true, true)]
    [InlineData(3, 3, true, false)]
    public void The_pager_links_only_to_pages_that_exist(int page, int pages, bool previous, bool next)
    {
        var cut = Render<Pager>(p => p
            .Add(x => x.Page, page).Add(x => x.Pages, pages).Add(x => x.Total, pages * 10)
            .Add(x => x.Href, n => $"/tenants?page={n}").Add(x => x.Noun, "tenant"));

        Assert.Equal(previous, cut.FindAll("a[rel=prev]").Count == 1);
        Assert.Equal(next, cut.FindAll("a[rel=next]").Count == 1);
        if (next)
        {
            Assert.Equal($"/tenants?page={page + 1}", cut.Find("a[rel=next]").GetAttribute("href"));
        }
        Assert.Contains($"Page {page} of {pages} · {pages * 10} tenants", cut.Markup);
    }

    [Fact]
    public void An_empty_list_has_no_pager()
    {
        var cut = Render<Pager>(p => p.Add(x => x.Page, 1).Add(x => x.Pages, 1).Add(x => x.Total, 0).Add(x => x.Href, n => ""));

        Assert.Empty(cut.FindAll("nav"));
    }

    [Theory]
    [InlineData("active", "badge-good")]
    [InlineData("Healthy", "badge-good")]
    [InlineData("suspended", "badge-warn")]
    [InlineData("Unreachable", "badge-bad")]
    [InlineData("failed", "badge-bad")]
    [InlineData("something new", "badge-neutral")]
    [InlineData("not deployed", "badge-neutral")]
    public void A_status_keeps_its_word_and_gets_a_tone(string status, string tone)
    {
        var cut = Render<StatusBadge>(p => p.Add(x => x.Text, status));

        Assert.Equal(status, cut.Find("span").TextContent);
        Assert.Contains(tone, cut.Find("span").ClassList);
    }

    [Fact]
    public void A_secret_is_shown_with_a_copy_button_that_carries_it()
    {
        var cut = Render<SecretOnce>(p => p.Add(x => x.Value, "cdx_abc.def").Add(x => x.Title, "API key for acme"));

        Assert.Equal("cdx_abc.def", cut.Find("[data-testid=secret]").TextContent);
        Assert.Equal("cdx_abc.def", cut.Find("button.copy").GetAttribute("data-copy"));
        Assert.Equal("Copy API key for acme", cut.Find("button.copy").GetAttribute("aria-label"));
        Assert.Contains("shown only once", cut.Markup);
    }

    [Fact]
    public void The_health_strip_orders_polls_and_says_how_many_were_healthy()
    {
        var now = DateTimeOffset.UtcNow;
        HealthCheckDto[] checks =
        [
            new(now, "Unhealthy", null, "refused"),
            new(now.AddSeconds(-30), "Healthy", 3, null),
            new(now.AddSeconds(-15), "Degraded", 40, null),
        ];

        var cut = Render<HealthStrip>(p => p.Add(x => x.Checks, checks));

        Assert.Equal("1 of 3 polls healthy in the last hour", cut.Find("[role=img]").GetAttribute("aria-label"));
        Assert.Equal(["h-good", "h-warn", "h-bad"], cut.FindAll(".health-strip span").Select(s => s.ClassName));
    }

    [Fact]
    public void An_hour_of_polls_fits_the_strip_in_shared_bars_that_show_their_worst_poll()
    {
        // A poll every 15 s for an hour, one of them failed: 240 polls, four to a bar.
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        HealthCheckDto[] checks =
        [
            .. Enumerable.Range(0, 240).Select(i => i == 101
                ? new HealthCheckDto(start.AddSeconds(i * 15), "Unreachable", null, "Connection refused")
                : new HealthCheckDto(start.AddSeconds(i * 15), "Healthy", 3, null)),
        ];

        var cut = Render<HealthStrip>(p => p.Add(x => x.Checks, checks));

        Assert.Equal("239 of 240 polls healthy in the last hour", cut.Find("[role=img]").GetAttribute("aria-label"));
        var bars = cut.FindAll(".health-strip span");
        Assert.Equal(HealthStrip.MaxBars, bars.Count);
        var failed = Assert.Single(bars, bar => bar.ClassName == "h-bad");
        Assert.Equal(25, bars.ToList().IndexOf(failed));
        Assert.EndsWith("3 of 4 healthy: Connection refused", failed.GetAttribute("title"));
    }

    [Fact]
    public void Tenant_charts_read_the_summary_figures_and_describe_them_in_words()
    {
        var summary = JsonSerializer.Deserialize<TenantSummary>(
            """{"auth":{"users":5,"active":3,"lastLogin":null},"crm":{"customers":12,"leads":4,"openLeads":2,"openPipelineValue":{"USD":1500.5,"EUR":20}}}""",
            JsonSerializerOptions.Web)!;

        var cut = Render<TenantCharts>(p => p.Add(x => x.Summary, summary));

        var labels = cut.FindAll("figure").Select(f => f.GetAttribute("aria-label")).ToList();
        Assert.Equal(
            ["Users: Active 3, Inactive 2", "CRM: Customers 12, Leads 4, Open leads 2", "Open pipeline value: EUR 20, USD 1500.5"],
            labels);
    }

    [Fact]
    public void Tenant_charts_show_nothing_for_a_tenant_without_figures()
    {
        var cut = Render<TenantCharts>(p => p.Add(x => x.Summary, new TenantSummary()));

        Assert.Empty(cut.FindAll("figure"));
    }

    [Fact]
    public void The_events_chart_lists_the_busy_minutes_in_its_table()
    {
        var start = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        EventsMinute[] minutes =
        [
            new(start, 0, []),
            new(start.AddMinutes(1), 7, new() { ["auth"] = 5, ["crm"] = 2 }),
            new(start.AddMinutes(2), 1, new() { ["auth"] = 1 }),
        ];

        var cut = Render<EventsChart>(p => p.Add(x => x.Minutes, minutes));

        Assert.Equal(["10:01 7", "10:02 1"], cut.FindAll("tbody tr").Select(tr => string.Join(' ', tr.Children.Select(td => td.TextContent))));
    }
}
