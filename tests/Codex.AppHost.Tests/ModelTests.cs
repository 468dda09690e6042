using Codex.AppHost.Dashboard;
using Codex.AppHost.Infrastructure;
using Codex.AppHost.Services;
using Codex.Testing;
using Db = Codex.ResourceNames.Databases;
using Svc = Codex.ResourceNames.Services;

namespace Codex.AppHost.Tests;

/// <summary>What the AppHost declares, read from its model without starting anything.</summary>
public sealed class ModelTests
{
    // The stack as ARCHITECTURE.md describes it, written out independently of AppHost.cs: each service, its
    // database (or none), whether it uses RabbitMQ, the services it calls.
    private static readonly (string Name, string? Database, bool UsesMessaging, string[] Calls)[] Stack =
    [
        (Svc.Auth, Db.Auth, true, []),
        (Svc.Crm, Db.Crm, true, [Svc.Auth]),
        (Svc.Cms, Db.Cms, true, [Svc.Auth]),
        (Svc.Billing, Db.Billing, true, [Svc.Auth]),
        (Svc.Platform, Db.Platform, true, [Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing]),
        (Svc.Gateway, null, true, [Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Platform]),
        (Svc.Web, null, false, [Svc.Gateway]),
    ];

    [Fact]
    public async Task Process_mode_holds_the_servers_as_processes_and_not_one_container()
    {
        await using var builder = await CreateAsync("Codex:Infrastructure=process");
        var resources = builder.Resources;

        var postgres = Assert.Single(resources.OfType<PostgresProcessResource>());
        Assert.Equal(ResourceNames.Postgres, postgres.Name);
        Assert.Equal(ResourceNames.Cache, Assert.Single(resources.OfType<RedisProcessResource>()).Name);
        Assert.Equal(ResourceNames.Messaging, Assert.Single(resources.OfType<RabbitMQProcessResource>()).Name);
        var databases = resources.OfType<PostgresProcessDatabaseResource>().ToDictionary(d => d.Name);
        Assert.Equal(new[] { Db.Auth, Db.Crm, Db.Cms, Db.Billing, Db.Platform }.Order(), databases.Keys.Order());
        Assert.All(databases.Values, db => Assert.Same(postgres, db.Parent));
        // Nothing may wait for a container engine that is not there.
        Assert.Empty(resources.Where(r => r.Annotations.OfType<ContainerImageAnnotation>().Any()).Select(r => r.Name));
        Assert.All(new IResource[] { postgres, databases[Db.Auth] }, r => Assert.True(r.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any(),
            $"{r.Name} must be left out of the manifest"));
    }

    [Fact]
    public async Task Containers_mode_holds_Aspire_s_own_PostgreSQL_Redis_and_RabbitMQ()
    {
        await using var builder = await CreateAsync("Codex:Infrastructure=containers");
        var resources = builder.Resources;

        var postgres = Assert.Single(resources.OfType<PostgresServerResource>());
        Assert.Equal(ResourceNames.Postgres, postgres.Name);
        Assert.Equal(new[] { Db.Auth, Db.Crm, Db.Cms, Db.Billing, Db.Platform }.Order(), resources.OfType<PostgresDatabaseResource>().Select(d => d.Name).Order());
        Assert.Equal(ResourceNames.Cache, Assert.Single(resources.OfType<RedisResource>()).Name);
        Assert.Equal(ResourceNames.Messaging, Assert.Single(resources.OfType<RabbitMQServerResource>()).Name);
        Assert.DoesNotContain(resources, r => r is PostgresProcessResource or RedisProcessResource or RabbitMQProcessResource);
    }

    [Fact]
    public async Task Every_service_is_wired_to_what_it_uses_and_waits_for_it()
    {
        await using var builder = await CreateAsync("Codex:Infrastructure=process");
        var resources = builder.Resources.ToDictionary(r => r.Name);

        foreach (var (name, database, usesMessaging, calls) in Stack)
        {
            var service = Assert.IsType<ProjectResource>(resources[name]);
            Assert.Contains(service.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http");
            Assert.NotEmpty(service.Annotations.OfType<HealthCheckAnnotation>());
            AssertReferencesAndWaitsFor(service, resources[ResourceNames.Cache]);
            // The bus as the service's own broker user, never as the admin.
            Assert.False(References(service, resources[ResourceNames.Messaging]), $"{name} must not get the broker's admin login");
            if (usesMessaging)
            {
                var login = resources[ResourceNames.MessagingLogin(name)];
                Assert.True(References(service, login), $"{name} must sign in to RabbitMQ as {login.Name}");
                Assert.Contains(service.Annotations.OfType<WaitAnnotation>(),
                    w => ReferenceEquals(w.Resource, resources[ResourceNames.Messaging]) && w.WaitType == WaitType.WaitUntilHealthy);
                Assert.Contains(resources[ResourceNames.Messaging].Annotations.OfType<BrokerUserAnnotation>(), u => u.Service == name);
            }
            else
            {
                Assert.False(resources.ContainsKey(ResourceNames.MessagingLogin(name)), $"{name} has no event bus and no broker user");
            }
            foreach (var callee in calls)
            {
                Assert.True(References(service, resources[callee]), $"{name} must reference {callee} (service discovery)");
            }
            if (database is null)
            {
                continue;
            }

            var migrator = Assert.IsType<ProjectResource>(resources[name + CodexProjects.MigratorSuffix]);
            var app = resources[ResourceNames.Databases.AppLogin(database)];
            var owner = resources[ResourceNames.Databases.OwnerLogin(database)];
            // The service signs in as its own role; the migrate step as the owner, with the admin's login to make both roles.
            Assert.True(References(service, app), $"{name} must sign in as {app.Name}");
            Assert.False(References(service, owner) || References(service, resources[ResourceNames.Postgres]) || References(service, resources[database]),
                $"{name} must not get the owner's or the admin's login");
            Assert.Contains(service.Annotations.OfType<WaitAnnotation>(), w => ReferenceEquals(w.Resource, resources[database]) && w.WaitType == WaitType.WaitUntilHealthy);
            Assert.True(References(migrator, owner) && References(migrator, app) && References(migrator, resources[ResourceNames.Postgres]),
                $"{migrator.Name} must get the owner's, the app role's and the admin's logins");
            Assert.Contains(migrator.Annotations.OfType<WaitAnnotation>(), w => ReferenceEquals(w.Resource, resources[database]) && w.WaitType == WaitType.WaitUntilHealthy);
            Assert.Contains(service.Annotations.OfType<WaitAnnotation>(),
                w => ReferenceEquals(w.Resource, migrator) && w.WaitType == WaitType.WaitForCompletion && w.ExitCode == 0);
            Assert.Contains("migrate", await ArgumentsAsync(migrator, builder));
            Assert.Empty(migrator.Annotations.OfType<EndpointAnnotation>());
            Assert.Contains(service.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == DashboardCommands.RunMigrations);
            Assert.Contains(service.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == DashboardCommands.ReplayDeadLetters);
        }
        Assert.Contains(resources[Svc.Platform].Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == DashboardCommands.ReconcileAllTenants);
        // The gateway's and the console's addresses stay put for links and scripts.
        Assert.Equal(5100, resources[Svc.Gateway].Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
        Assert.Equal(5200, resources[Svc.Web].Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
        Assert.True(resources[Svc.Gateway].Annotations.OfType<EndpointAnnotation>().Single().IsExternal);
    }

    [Fact]
    public async Task Codex_Services_false_models_the_infrastructure_alone()
    {
        await using var builder = await CreateAsync("Codex:Infrastructure=process", "Codex:Services=false");

        // The servers, and each service's broker login (the tests' fixtures run the services as those users).
        Assert.Equal(
            [ResourceNames.Cache, ResourceNames.Messaging, .. new[] { Svc.Auth, Svc.Billing, Svc.Cms, Svc.Crm, Svc.Gateway, Svc.Platform }.Select(ResourceNames.MessagingLogin), ResourceNames.Postgres],
            ResourceReport.Started(ModelOf(builder)).Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_infrastructure_mode_is_refused_with_the_valid_ones()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CreateAsync("Codex:Infrastructure=kubernetes"));

        Assert.Contains("auto, containers or process", error.ToString());
    }

    private static async Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codex_AppHost>(
            [.. args, $"Codex:DataDirectory={CodexStack.NewDataDirectory()}"], TestContext.Current.CancellationToken);

    private static DistributedApplicationModel ModelOf(IDistributedApplicationTestingBuilder builder) => new(builder.Resources);
    [Theory]
    [InlineData("process")]
    [InlineData("containers")]
    public async Task The_broker_defines_its_exchanges_its_admin_and_one_user_per_service_with_that_services_permissions(string mode)
    {
        await using var builder = await CreateAsync($"Codex:Infrastructure={mode}");
        var broker = builder.Resources.Single(r => r.Name == ResourceNames.Messaging);
        var admin = mode == "process"
            ? ReferenceExpression.Create($"guest")
            : ((RabbitMQServerResource)broker).UserNameReference;
        var password = mode == "process" ? ((RabbitMQProcessResource)broker).PasswordParameter : ((RabbitMQServerResource)broker).PasswordParameter;

        var json = await BrokerDefinitions.Expression(broker, admin, password).GetValueAsync(TestContext.Current.CancellationToken);
        using var definitions = System.Text.Json.JsonDocument.Parse(json!);
        var root = definitions.RootElement;

        Assert.Equal(
            [EventBusNames.DeadLetterExchange, EventBusNames.Exchange],
            root.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Order());
        Assert.All(root.GetProperty("exchanges").EnumerateArray(), e => Assert.Equal("topic", e.GetProperty("type").GetString()));
        var users = root.GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("name").GetString()!);
        Assert.Equal(["auth", "billing", "cms", "crm", "gateway", "guest", "platform"], users.Keys.Order());
        Assert.Equal("administrator", Assert.Single(users["guest"].GetProperty("tags").EnumerateArray()).GetString());
        Assert.Equal(await password.GetValueAsync(TestContext.Current.CancellationToken), users["guest"].GetProperty("password").GetString());
        foreach (var service in new[] { Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Platform, Svc.Gateway })
        {
            Assert.Empty(users[service].GetProperty("tags").EnumerateArray());
            // The password in the definitions is the one in the service's login.
            var user = Assert.Single(broker.Annotations.OfType<BrokerUserAnnotation>(), u => u.Service == service);
            Assert.Equal(await user.Password.GetValueAsync(TestContext.Current.CancellationToken), users[service].GetProperty("password").GetString());
            var login = (IResourceWithConnectionString)builder.Resources.Single(r => r.Name == ResourceNames.MessagingLogin(service));
            Assert.Contains(user.Password, login.ConnectionStringExpression.ValueProviders);
            Assert.StartsWith($"amqp://{service}:", login.ConnectionStringExpression.Format);
            var expected = BrokerPermissions.Of(service);
            var granted = root.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("user").GetString() == service);
            Assert.Equal((expected.Configure, expected.Write, expected.Read),
                (granted.GetProperty("configure").GetString(), granted.GetProperty("write").GetString(), granted.GetProperty("read").GetString()));
            Assert.Equal(expected.Topics.Count, root.GetProperty("topic_permissions").EnumerateArray().Count(p => p.GetProperty("user").GetString() == service));
        }
    }

    private static bool References(IResource resource, IResource dependency) =>
        resource.Annotations.OfType<ResourceRelationshipAnnotation>().Any(r => ReferenceEquals(r.Resource, dependency) && r.Type == "Reference");

    private static void AssertReferencesAndWaitsFor(IResource resource, IResource dependency)
    {
        Assert.True(References(resource, dependency), $"{resource.Name} must reference {dependency.Name}");
        Assert.Contains(resource.Annotations.OfType<WaitAnnotation>(),
            w => ReferenceEquals(w.Resource, dependency) && w.WaitType == WaitType.WaitUntilHealthy);
    }

    private static async Task<List<string>> ArgumentsAsync(IResource resource, IDistributedApplicationTestingBuilder builder)
    {
        var args = new List<object>();
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(new CommandLineArgsCallbackContext(args, resource, TestContext.Current.CancellationToken)
            {
                ExecutionContext = builder.ExecutionContext,
            });
        }
        return [.. args.OfType<string>()];
    }
}
