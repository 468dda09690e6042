using Codex.Contracts;
using System.Net;
using Codex.Messaging.Tests.Support;
using Codex.Testing;

namespace Codex.Messaging.Tests;

public sealed class DeadLetterTests(MessagingServers servers)
{
    [Fact]
    public async Task A_handler_that_always_throws_dead_letters_after_N_attempts_with_the_error_and_replay_applies_it_once()
    {
        await using var service = await InProcessService.StartAsync(servers, settings: new Dictionary<string, string?> { ["EventBus:MaxAttempts"] = "3" });
        service.Behaviour.AlwaysThrow = true;
        var @event = DeliveryTests.StageChanged("acme-prod");

        await service.WriteAsync(@event);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(30)));
        var letter = Assert.Single(await service.DeadLettersAsync());
        var listedTwice = await service.DeadLettersAsync();

        Assert.Equal("crm.lead.stage_changed", letter.Type);
        Assert.Equal("acme-prod", letter.TenantId);
        Assert.Equal(3, letter.Attempts);
        Assert.Equal("Stage qualified is not known to this service.", letter.Error);
        Assert.Equal(typeof(InvalidOperationException).FullName, letter.ErrorType);
        Assert.Single(listedTwice);
        Assert.Equal((0, 0), await service.AppliedAsync());

        service.Behaviour.AlwaysThrow = false;
        using var replay = await service.App.Client.SendAsync(service.AdminRequest(HttpMethod.Post, $"/{letter.MessageId}/replay"));

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Total == 1, TimeSpan.FromSeconds(20)));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal((1, 1), await service.AppliedAsync());
        Assert.Empty(await service.DeadLettersAsync());
    }

    [Fact]
    public async Task A_poison_message_among_good_ones_sent_together_dead_letters_alone_and_the_others_apply_once()
    {
        await using var service = await InProcessService.StartAsync(servers, settings: new Dictionary<string, string?> { ["EventBus:MaxAttempts"] = "2" });
        service.Behaviour.PoisonStage = "poison";
        var poison = new Codex.Contracts.LeadStageChanged("acme-prod", Guid.NewGuid(), Guid.Empty, "new", "poison", "open", "open", 100m, "EUR", 20);

        // Published in one go, so the consumer finds them waiting together and handles them as one batch.
        await RawBroker.PublishAsync(servers, [.. Enumerable.Range(0, 20)
            .Select(i => RawBroker.Envelope(i == 7 ? poison : DeliveryTests.StageChanged("acme-prod")))]);

        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(30)));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Total == 19, TimeSpan.FromSeconds(20)));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal((19, 19), await service.AppliedAsync());
        Assert.Equal(2, Assert.Single(await service.DeadLettersAsync()).Attempts);
    }

    [Fact]
    public async Task Replay_all_sends_every_dead_letter_back_and_an_unknown_id_is_404()
    {
        await using var service = await InProcessService.StartAsync(servers, settings: new Dictionary<string, string?> { ["EventBus:MaxAttempts"] = "1" });
        service.Behaviour.AlwaysThrow = true;
        await service.WriteAsync(DeliveryTests.StageChanged("acme-prod"), DeliveryTests.StageChanged("acme-prod"), DeliveryTests.StageChanged("globex"));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 3, TimeSpan.FromSeconds(30)));
        service.Behaviour.AlwaysThrow = false;

        using var unknown = await service.App.Client.SendAsync(service.AdminRequest(HttpMethod.Post, $"/{Guid.NewGuid()}/replay"));
        using var all = await service.App.Client.SendAsync(service.AdminRequest(HttpMethod.Post, "/replay"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, all.StatusCode);
        Assert.Contains("\"replayed\":3", await all.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Distinct == 3, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task An_event_without_a_tenant_is_dead_lettered_and_never_handled()
    {
        await using var service = await InProcessService.StartAsync(servers);

        await RawBroker.PublishAsync(servers, RawBroker.Envelope(DeliveryTests.StageChanged("acme-prod"), keepTenant: false));

        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(20)));
        Assert.Equal("The event names no tenant.", Assert.Single(await service.DeadLettersAsync()).Error);
        Assert.Equal((0, 0), await service.AppliedAsync());
    }

    [Fact]
    public async Task An_event_from_a_service_that_does_not_own_it_is_dead_lettered_and_never_handled()
    {
        await using var service = await InProcessService.StartAsync(servers);

        // Billing (or whoever holds broker credentials) forging CRM's event.
        await RawBroker.PublishAsync(servers, RawBroker.Envelope(DeliveryTests.StageChanged("acme-prod")) with { Source = "billing" });

        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(20)));
        Assert.Contains("claims to come from 'billing'", Assert.Single(await service.DeadLettersAsync()).Error);
        Assert.Equal((0, 0), await service.AppliedAsync());
    }

    [Theory]
    [InlineData("crm", "crm.lead.created", true)]
    [InlineData("crm-2f3a", "crm.lead.created", true)]
    [InlineData("billing", "crm.lead.created", false)]
    [InlineData("crmx", "crm.lead.created", false)]
    [InlineData("crm-", "crm.lead.created", false)]
    [InlineData("crm", "auth.permission.denied", true)]
    [InlineData("crm", "auth.user.registered", false)]
    [InlineData("platform", "platform.tenant.suspended", true)]
    public void Only_the_owner_of_an_event_type_publishes_it_but_a_shared_type_comes_from_anyone(string source, string type, bool allowed) =>
        Assert.Equal(allowed, EventTypes.MayPublish(source, type));

    [Fact]
    public async Task An_event_whose_envelope_names_another_tenant_than_its_data_is_dead_lettered_and_never_handled()
    {
        await using var service = await InProcessService.StartAsync(servers);

        await RawBroker.PublishAsync(servers, RawBroker.Envelope(DeliveryTests.StageChanged("acme-prod"), tenantOverride: "globex"));

        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(20)));
        Assert.Contains("differs from the data's tenant", Assert.Single(await service.DeadLettersAsync()).Error);
        Assert.Equal((0, 0), await service.AppliedAsync());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    public async Task The_dead_letter_API_is_for_superadmins_only(string? role, HttpStatusCode expected)
    {
        await using var service = await InProcessService.StartAsync(servers);

        using var list = await service.App.Client.SendAsync(service.AdminRequest(HttpMethod.Get, "", role));
        using var replay = await service.App.Client.SendAsync(service.AdminRequest(HttpMethod.Post, "/replay", role));

        Assert.Equal(expected, list.StatusCode);
        Assert.Equal(expected, replay.StatusCode);
    }
}
