using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Svc = Codex.ResourceNames.Services;

namespace Codex.AppHost.Tests;

/// <summary>
/// The stack with two replicas each of auth, crm and the gateway (WithReplicas(2)): the services are stateless,
/// so more replicas means more capacity and nothing else.
/// </summary>
public sealed class ScaledStack : StackFixture
{
    public static readonly string[] Scaled = [Svc.Auth, Svc.Crm, Svc.Gateway];

    /// <summary>A plan whose keys get a burst of <see cref="KeyBurst"/>; the refill is too slow to matter within a test.</summary>
    public const string TinyPlan = "tiny";

    public const int KeyBurst = 5;

    protected override Task<CodexStack> StartAsync() => CodexStack.StartAsync(builder =>
    {
        foreach (var name in Scaled)
        {
            builder.CreateResourceBuilder<ProjectResource>(name)
                .WithReplicas(2)
                // Each request in the replica's console log: the evidence of which replica served it.
                .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics", "Information");
        }
        builder.CreateResourceBuilder<ProjectResource>(Svc.Gateway)
            .WithEnvironment($"Gateway__RateLimits__Plans__{TinyPlan}__KeyBurst", KeyBurst.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment($"Gateway__RateLimits__Plans__{TinyPlan}__KeyPerSecond", "0.01")
            // The gateway reaches each service's replicas through one DCP proxy address, which spreads connections,
            // not requests: short-lived pooled connections let a round of requests reach both replicas.
            .WithEnvironment("Gateway__UpstreamConnectionLifetime", "00:00:01");
    });

    /// <summary>The running replicas' instance names (<c>auth-abcd1234</c>…).</summary>
    public async Task<List<string>> ReplicasAsync(string name, CancellationToken ct)
    {
        var instances = new HashSet<string>();
        await foreach (var update in Stack.App.ResourceNotifications.WatchAsync(ct))
        {
            if (update.Resource.Name == name && update.Snapshot.State?.Text == KnownResourceStates.Running)
            {
                instances.Add(update.ResourceId);
            }
            if (instances.Count == 2)
            {
                return [.. instances];
            }
        }
        return [.. instances];
    }

    /// <summary>The lines a replica has written to its console so far.</summary>
    public async Task<List<string>> LogAsync(string instance)
    {
        var lines = new List<string>();
        using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in Stack.App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(instance).WithCancellation(cut.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
            }
        }
        catch (OperationCanceledException)
        {
        }
        return lines;
    }

}

public sealed class ScaleOutTests(ScaledStack scaled) : IClassFixture<ScaledStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_through_the_gateway_reach_both_replicas_of_each_service()
    {
        var api = scaled.Api;
        var tenant = await api.CreateTenantAsync(await api.SuperadminTokenAsync(Ct), Ct);
        var admin = await api.SignInAsync(tenant.ApiKey, tenant.AdminEmail, tenant.AdminPassword, Ct);

        // Concurrent requests: the gateway's pooled connections to a service live one second here, and each new
        // one may go to the other replica; a fresh client connection each time spreads over the gateway's replicas.
        // The spread is random, so rounds go on until every replica has served (a replica that never does fails
        // the test after five rounds of 60, each after the previous round's connections have expired).
        var targets = new[] { (Svc.Auth, "/api/v1/auth/me"), (Svc.Crm, "/api/v1/crm/customers"), (Svc.Gateway, "/api/v1/") };
        var idle = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            {
                var path = i % 2 == 0 ? "/api/v1/auth/me" : "/api/v1/crm/customers?limit=1";
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new("Bearer", admin);
                request.Headers.ConnectionClose = true;
                using var response = await api.Gateway.SendAsync(request, ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            });

            idle.Clear();
            foreach (var (service, path) in targets)
            {
                var replicas = await scaled.ReplicasAsync(service, Ct);
                Assert.Equal(2, replicas.Count);
                foreach (var replica in replicas)
                {
                    var served = (await scaled.LogAsync(replica)).Count(line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains(path, StringComparison.Ordinal));
                    if (served == 0)
                    {
                        idle.Add($"{replica} served none of the requests to {path}");
                    }
                }
            }
            if (idle.Count == 0)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        }
        Assert.Empty(idle);
    }

    [Fact]
    public async Task Two_outbox_relays_publish_each_event_exactly_once()
    {
        var api = scaled.Api;
        var tenant = await api.CreateTenantAsync(await api.SuperadminTokenAsync(Ct), Ct);
        var admin = await api.SignInAsync(tenant.ApiKey, tenant.AdminEmail, tenant.AdminPassword, Ct);
        var received = new ConcurrentBag<string>();
        var factory = new ConnectionFactory { Uri = new Uri((await scaled.Stack.App.GetConnectionStringAsync(ResourceNames.Messaging, Ct))!) };
        await using var connection = await factory.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        var queue = (await channel.QueueDeclareAsync(exclusive: true, cancellationToken: Ct)).QueueName;
        await channel.QueueBindAsync(queue, "codex.events", "crm.customer.created", cancellationToken: Ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (Encoding.UTF8.GetString(delivery.Body.Span).Contains(tenant.Id, StringComparison.Ordinal))
            {
                received.Add(delivery.BasicProperties.MessageId!);
            }
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, Ct);

        const int customers = 60;
        await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = Ct }, async (i, ct) =>
        {
            using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/crm/customers", admin, null, new { name = $"Customer {i}" }, ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        });
        await CodexApi.EventuallyAsync(() => Task.FromResult(received.Count >= customers), TimeSpan.FromSeconds(30), $"{customers} crm.customer.created events", Ct);
        // Late duplicates would arrive within the relay's poll interval.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        Assert.Equal(customers, received.Count);
        Assert.Equal(customers, received.Distinct().Count());
    }

    [Fact]
    public async Task A_key_s_rate_limit_holds_across_gateway_replicas()
    {
        var api = scaled.Api;
        var tenant = await api.CreateTenantAsync(await api.SuperadminTokenAsync(Ct), Ct, ScaledStack.TinyPlan);

        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 3 * ScaledStack.KeyBurst), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (_, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/crm/customers?limit=1");
            request.Headers.Add("X-API-Key", tenant.ApiKey);
            request.Headers.ConnectionClose = true;
            using var response = await api.Gateway.SendAsync(request, ct);
            statuses.Add(response.StatusCode);
        });

        // Whichever replica answered, the key's bucket in Redis admitted its burst and no more.
        Assert.Equal(ScaledStack.KeyBurst, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(2 * ScaledStack.KeyBurst, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
