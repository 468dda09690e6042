using System.Net;
using System.Text.Json;
using Codex.Contracts;
using Codex.Messaging;
using Codex.Messaging.Admin;
using Codex.Platform.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codex.Platform.Tests;

/// <summary>The figures the admin console charts: events per minute from the audit log, and each service's outbox backlog.</summary>
public sealed class EventsTests(PlatformStack stack) : IClassFixture<PlatformStack>
{
    [Fact]
    public async Task Events_per_minute_counts_each_event_in_the_minute_Platform_recorded_it_under_its_source_and_zero_fills_the_rest()
    {
        var tenant = PlatformStack.NewTenantId();
        // Two deployments of billing (the only service that may publish its invoices), each its own source.
        var (billing, shipping) = ($"billing-{Guid.NewGuid():N}"[..16], $"billing-{Guid.NewGuid():N}"[..16]);
        var envelopes = new[] { billing, billing, billing, shipping, shipping }
            .Select(source => EventEnvelope.Create(new InvoiceIssued(tenant, Guid.NewGuid(), 10m, "EUR"), source, TimeProvider.System)).ToArray();
        await PlatformStack.PublishAsync(envelopes);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE tenant_id = @t", ("t", tenant)) == 5, TimeSpan.FromSeconds(10)));
        var expected = new Dictionary<(DateTimeOffset Minute, string Source), int>();
        foreach (var envelope in envelopes)
        {
            var recordedAt = await stack.ScalarAsync<DateTime>("SELECT recorded_at FROM audit_log WHERE id = @id", ("id", envelope.Id));
            var key = (new DateTimeOffset(recordedAt.Ticks - recordedAt.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero), envelope.Source);
            expected[key] = expected.GetValueOrDefault(key) + 1;
        }
        using var root = await stack.SuperadminAsync();

        var answer = await (await root.GetAsync("/api/v1/platform/events/per-minute")).ReadAsync<EventsPerMinute>();
        var five = await (await root.GetAsync("/api/v1/platform/events/per-minute?minutes=5")).ReadAsync<EventsPerMinute>();

        Assert.Equal(60, answer.Minutes.Count);
        Assert.Equal(5, five.Minutes.Count);
        Assert.Equal(answer.From, answer.Minutes[0].Minute);
        Assert.All(answer.Minutes, m => Assert.Equal(TimeSpan.Zero, m.Minute.Offset));
        Assert.All(answer.Minutes.Select((m, i) => (m, i)), x => Assert.Equal(answer.From.AddMinutes(x.i), x.m.Minute));
        Assert.InRange(answer.To - answer.Minutes[^1].Minute, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.All(answer.Minutes, m => Assert.Equal(m.BySource.Values.Sum(), m.Total));
        foreach (var source in new[] { billing, shipping })
        {
            Assert.Equal(
                expected.Where(e => e.Key.Source == source).OrderBy(e => e.Key.Minute).Select(e => (e.Key.Minute, e.Value)),
                answer.Minutes.Where(m => m.BySource.ContainsKey(source)).Select(m => (m.Minute, m.BySource[source])));
        }
        // cdxdb is this class's own and a few minutes old: the oldest minutes of the hour had no events, and are there all the same.
        Assert.Equal(0, answer.Minutes[0].Total);
        Assert.Empty(answer.Minutes[0].BySource);
        Assert.Contains(five.Minutes, m => m.BySource.GetValueOrDefault(billing) > 0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1441")]
    [InlineData("-5")]
    public async Task Events_per_minute_outside_1_to_1440_minutes_is_a_400_naming_minutes(string minutes)
    {
        using var root = await stack.SuperadminAsync();

        using var response = await root.GetAsync($"/api/v1/platform/events/per-minute?minutes={minutes}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["minutes"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Platform_and_Auth_answer_their_own_outbox_backlog_which_is_empty_once_their_events_are_sent()
    {
        await stack.CreateTenantAsync();   // Platform and Auth both write events through their outboxes
        var platformBus = stack.Platform.Services.GetRequiredService<IOptions<EventBusOptions>>().Value.ServiceName;
        var superadmin = (await stack.Auth.LoginSuperadminAsync()).AccessToken;
        using var platform = new HttpClient { BaseAddress = stack.Platform.Address };
        using var auth = new HttpClient { BaseAddress = stack.Auth.App.Address };
        platform.DefaultRequestHeaders.Authorization = new("Bearer", superadmin);
        auth.DefaultRequestHeaders.Authorization = new("Bearer", superadmin);

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await (await platform.GetAsync($"/api/v1/{platformBus}/admin/outbox")).ReadAsync<OutboxBacklog>()).Pending == 0
            && (await (await auth.GetAsync($"/api/v1/{stack.Auth.ServiceName}/admin/outbox")).ReadAsync<OutboxBacklog>()).Pending == 0,
            TimeSpan.FromSeconds(10)));
        var body = await (await platform.GetAsync($"/api/v1/{platformBus}/admin/outbox")).ReadAsync<JsonElement>();

        Assert.Equal(0, body.GetProperty("pending").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("oldestPendingAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("oldestPendingAgeSeconds").ValueKind);
    }

    [Fact]
    public async Task Tenant_admins_are_refused_events_per_minute_and_the_outbox_backlog()
    {
        var tenant = await stack.CreateTenantAsync();
        var platformBus = stack.Platform.Services.GetRequiredService<IOptions<EventBusOptions>>().Value.ServiceName;
        using var direct = new HttpClient { BaseAddress = stack.Platform.Address };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", tenant.AdminTokens.AccessToken);

        using var throughGateway = await tenant.Admin.GetAsync("/api/v1/platform/events/per-minute");
        using var straight = await direct.GetAsync("/api/v1/platform/events/per-minute");
        using var outbox = await direct.GetAsync($"/api/v1/{platformBus}/admin/outbox");

        Assert.Equal(HttpStatusCode.Forbidden, throughGateway.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, straight.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outbox.StatusCode);
    }
}
