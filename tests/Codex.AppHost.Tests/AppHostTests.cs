using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace Codex.AppHost.Tests;

/// <summary>
/// The Aspire application model: what the AppHost declares (no container runtime needed) and that the whole
/// stack starts, migrates and turns healthy (needs Docker or Podman).
/// </summary>
public sealed class AppHostTests
{
    // Cold container image pulls, then the first `dotnet run` of every project.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    private const string MigratorSuffix = "-migrate";

    // The stack as ARCHITECTURE.md describes it, written out independently of the AppHost's own table:
    // resource name, project relative to the repository root, own database, uses Redis and RabbitMQ.
    private static readonly (string Name, string Project, string? Database, bool UsesMessaging)[] Stack =
    [
        (ResourceNames.Services.Gateway, "services/Codex.Gateway/Codex.Gateway.csproj", null, true),
        (ResourceNames.Services.Auth, "services/Codex.Auth/Codex.Auth.csproj", ResourceNames.Databases.Auth, true),
        (ResourceNames.Services.Crm, "services/Codex.Crm/Codex.Crm.csproj", ResourceNames.Databases.Crm, true),
        (ResourceNames.Services.Cms, "services/Codex.Cms/Codex.Cms.csproj", ResourceNames.Databases.Cms, true),
        (ResourceNames.Services.Billing, "services/Codex.Billing/Codex.Billing.csproj", ResourceNames.Databases.Billing, true),
        (ResourceNames.Services.Analytics, "services/Codex.Analytics/Codex.Analytics.csproj", ResourceNames.Databases.Analytics, true),
        (ResourceNames.Services.Notifications, "services/Codex.Notifications/Codex.Notifications.csproj", ResourceNames.Databases.Notifications, true),
        (ResourceNames.Services.Platform, "services/Codex.Platform/Codex.Platform.csproj", ResourceNames.Databases.Platform, true),
        (ResourceNames.Services.Web, "web/Codex.Web/Codex.Web.csproj", null, false),
    ];

    [Fact]
    public async Task ModelDeclaresTheInfrastructureAndWiresEveryProjectOnDisk()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codex_AppHost>(ct);
        var resources = appHost.Resources;

        var postgres = Assert.Single(resources.OfType<PostgresServerResource>());
        Assert.Equal(ResourceNames.Postgres, postgres.Name);

        var databases = resources.OfType<PostgresDatabaseResource>().ToDictionary(db => db.Name);
        Assert.Equal(ResourceNames.Databases.All.Order().ToArray(), databases.Keys.Order().ToArray());
        Assert.All(databases.Values, db =>
        {
            Assert.Same(postgres, db.Parent);
            Assert.Equal(db.Name, db.DatabaseName);
        });

        var cache = Assert.Single(resources.OfType<RedisResource>());
        Assert.Equal(ResourceNames.Cache, cache.Name);
        var messaging = Assert.Single(resources.OfType<RabbitMQServerResource>());
        Assert.Equal(ResourceNames.Messaging, messaging.Name);

        var projects = resources.OfType<ProjectResource>().ToDictionary(p => p.Name);
        var repositoryRoot = Path.GetFullPath(Path.Combine(appHost.AppHostDirectory, ".."));
        foreach (var (name, project, database, usesMessaging) in Stack)
        {
            var onDisk = File.Exists(Path.Combine(repositoryRoot, project));
            Assert.True(onDisk == projects.ContainsKey(name), $"'{name}' must be in the model exactly when {project} exists.");
            Assert.True(
                (onDisk && database is not null) == projects.ContainsKey(name + MigratorSuffix),
                $"'{name}{MigratorSuffix}' must be in the model exactly when {project} exists and owns a database.");
            if (!onDisk)
            {
                continue;
            }

            var service = projects[name];
            Assert.Contains(service.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http");
            Assert.NotEmpty(service.Annotations.OfType<HealthCheckAnnotation>());
            // Every project uses Redis (the console for its sessions); all but the console use RabbitMQ.
            AssertReferencesAndWaitsFor(service, cache);
            if (usesMessaging)
            {
                AssertReferencesAndWaitsFor(service, messaging);
            }

            if (database is null)
            {
                continue;
            }

            var migrator = projects[name + MigratorSuffix];
            AssertReferencesAndWaitsFor(service, databases[database]);
            AssertReferencesAndWaitsFor(migrator, databases[database]);
            Assert.Contains(
                service.Annotations.OfType<WaitAnnotation>(),
                w => ReferenceEquals(w.Resource, migrator) && w.WaitType == WaitType.WaitForCompletion && w.ExitCode == 0);
            Assert.Contains("migrate", await GetArgumentsAsync(migrator, appHost.ExecutionContext, ct));
            Assert.Empty(migrator.Annotations.OfType<EndpointAnnotation>());
            Assert.Empty(migrator.Annotations.OfType<HealthCheckAnnotation>());
        }
    }

    [Fact]
    public async Task StackStartsMigratesAndBecomesHealthy()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartupTimeout);
        var ct = timeout.Token;

        // A throwaway database server: the test must neither see nor lock the developer's data volume.
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codex_AppHost>(["Codex:DataVolumes=false"], ct);
        appHost.Services.ConfigureHttpClientDefaults(client => client.AddStandardResilienceHandler());

        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);

        // Every container, database and project: migrators must finish with exit code 0, the rest turn healthy.
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var pending = model.Resources
            .Where(r => r is ContainerResource or PostgresDatabaseResource or ProjectResource)
            .Select(r => WaitUntilReadyAsync(app, r, ct))
            .ToList();
        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                await done;
            }
        }
        catch
        {
            // Fail on the first broken resource instead of waiting out the others.
            await timeout.CancelAsync();
            throw;
        }

        string[] infrastructure = [ResourceNames.Postgres, ResourceNames.Cache, ResourceNames.Messaging];
        foreach (var name in infrastructure)
        {
            Assert.Contains(model.Resources, r => r.Name == name);
            var ready = await app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, ct);
            Assert.Equal(HealthStatus.Healthy, ready.Snapshot.HealthStatus);
        }

        if (model.Resources.Any(r => r.Name == ResourceNames.Services.Gateway))
        {
            using var http = app.CreateHttpClient(ResourceNames.Services.Gateway);
            string[] paths = ["/health", "/alive"];
            foreach (var path in paths)
            {
                using var response = await http.GetAsync(path, ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    private static async Task WaitUntilReadyAsync(DistributedApplication app, IResource resource, CancellationToken ct)
    {
        if (resource is ProjectResource && resource.Name.EndsWith(MigratorSuffix, StringComparison.Ordinal))
        {
            var end = await app.ResourceNotifications.WaitForResourceAsync(
                resource.Name,
                e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
                ct);
            Assert.True(
                end.Snapshot.State?.Text == KnownResourceStates.Finished && end.Snapshot.ExitCode == 0,
                $"'{resource.Name}' ended as {end.Snapshot.State?.Text} with exit code {end.Snapshot.ExitCode}; expected {KnownResourceStates.Finished} with 0.");
            return;
        }

        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, WaitBehavior.StopOnResourceUnavailable, ct);
    }

    private static void AssertReferencesAndWaitsFor(IResource resource, IResource dependency)
    {
        // WithReference records a "Reference" relationship; WaitFor a WaitUntilHealthy wait.
        Assert.Contains(
            resource.Annotations.OfType<ResourceRelationshipAnnotation>(),
            r => ReferenceEquals(r.Resource, dependency) && r.Type == "Reference");
        Assert.Contains(
            resource.Annotations.OfType<WaitAnnotation>(),
            w => ReferenceEquals(w.Resource, dependency) && w.WaitType == WaitType.WaitUntilHealthy);
    }

    private static async Task<List<string>> GetArgumentsAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken ct)
    {
        var args = new List<object>();
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(new CommandLineArgsCallbackContext(args, resource, ct) { ExecutionContext = executionContext });
        }

        return [.. args.OfType<string>()];
    }
}
