using Db = Codex.ResourceNames.Databases;
using Svc = Codex.ResourceNames.Services;

namespace Codex.AppHost;

/// <summary>What the projects are wired to: the databases by name, Redis, RabbitMQ and the first admin.</summary>
internal sealed record CodexInfrastructure(
    IReadOnlyDictionary<string, IResourceBuilder<PostgresDatabaseResource>> Databases,
    IResourceBuilder<RedisResource> Cache,
    IResourceBuilder<RabbitMQServerResource> Messaging,
    IResourceBuilder<ParameterResource> AdminEmail,
    IResourceBuilder<ParameterResource> AdminPassword);

/// <summary>
/// A project of the stack: resource name, project file (relative to the AppHost directory), own database
/// (null for none), the services it calls, public traffic, Redis, RabbitMQ, first superadmin's credentials.
/// </summary>
internal sealed record CodexProject(string Name, string Project, string? Database, string[] Calls,
    bool External = false, bool UsesCache = true, bool UsesMessaging = true, bool SeedsAdmin = false);

internal static class CodexResources
{
    /// <summary>Suffix of the resource that runs a service's <c>migrate</c> command before the service.</summary>
    public const string MigratorSuffix = "-migrate";

    private static readonly string[] DataServices = [Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Analytics, Svc.Notifications];

    /// <summary>The stack of ARCHITECTURE.md. A row whose project does not exist yet is skipped.</summary>
    public static readonly CodexProject[] Stack =
    [
        new(Svc.Auth, "../services/Codex.Auth/Codex.Auth.csproj", Db.Auth, [], SeedsAdmin: true),
        new(Svc.Crm, "../services/Codex.Crm/Codex.Crm.csproj", Db.Crm, [Svc.Auth]),
        new(Svc.Cms, "../services/Codex.Cms/Codex.Cms.csproj", Db.Cms, [Svc.Auth]),
        new(Svc.Billing, "../services/Codex.Billing/Codex.Billing.csproj", Db.Billing, [Svc.Auth]),
        new(Svc.Analytics, "../services/Codex.Analytics/Codex.Analytics.csproj", Db.Analytics, [Svc.Auth]),
        new(Svc.Notifications, "../services/Codex.Notifications/Codex.Notifications.csproj", Db.Notifications, [Svc.Auth]),
        // Platform reconciles against every service's /internal/summary/{tenantId}.
        new(Svc.Platform, "../services/Codex.Platform/Codex.Platform.csproj", Db.Platform, DataServices, SeedsAdmin: true),
        new(Svc.Gateway, "../services/Codex.Gateway/Codex.Gateway.csproj", null, [.. DataServices, Svc.Platform], External: true),
        // The console keeps its sessions (tokens) and data-protection keys in Redis; it has no events.
        new(Svc.Web, "../web/Codex.Web/Codex.Web.csproj", null, [Svc.Gateway], External: true, UsesMessaging: false),
    ];

    /// <summary>Adds every project of <see cref="Stack"/> that exists on disk, with its migrator and its wiring.</summary>
    public static IReadOnlyDictionary<string, IResourceBuilder<ProjectResource>> AddCodexProjects(
        this IDistributedApplicationBuilder builder, CodexInfrastructure infra)
    {
        var added = new Dictionary<string, IResourceBuilder<ProjectResource>>();
        foreach (var spec in Stack.Where(s => File.Exists(Path.Combine(builder.AppHostDirectory, s.Project))))
        {
            // No launch profile: one proxied "http" endpoint (ASPNETCORE_URLS comes from it) whatever the
            // project's launchSettings.json says, and no port shared between a service and its migrator.
            var project = builder.AddProject(spec.Name, spec.Project, WithoutLaunchProfile)
                .WithHttpEndpoint()
                .WithHttpHealthCheck(path: "/health")
                .WithAppHostEnvironment();

            if (spec.External) project.WithExternalHttpEndpoints();
            if (spec.SeedsAdmin) project.WithAdmin(infra);
            if (spec.UsesCache) project.WithReference(infra.Cache).WaitFor(infra.Cache);
            if (spec.UsesMessaging) project.WithReference(infra.Messaging).WaitFor(infra.Messaging);

            if (spec.Database is { } databaseName)
            {
                // `<project> migrate` creates the database when missing, applies the migrations and exits.
                // Left out of the deployment: published as a container app it would be restarted forever.
                var database = infra.Databases[databaseName];
                var migrator = builder.AddProject(spec.Name + MigratorSuffix, spec.Project, WithoutLaunchProfile)
                    .WithArgs("migrate")
                    .WithAppHostEnvironment()
                    .WithReference(database).WaitFor(database)
                    .WithParentRelationship(project)
                    .ExcludeFromManifest();
                if (spec.SeedsAdmin) migrator.WithAdmin(infra);

                project.WithReference(database).WaitFor(database).WaitForCompletion(migrator);
            }

            added[spec.Name] = project;
        }

        // Service discovery (services__<name>__http__0), once every existing project has its endpoint.
        foreach (var spec in Stack.Where(s => added.ContainsKey(s.Name)))
        {
            foreach (var callee in spec.Calls.Where(added.ContainsKey)) added[spec.Name].WithReference(added[callee]);
        }

        return added;
    }

    private static void WithoutLaunchProfile(ProjectResourceOptions options) => options.ExcludeLaunchProfile = true;

    // The environment a launch profile would have set: the AppHost's (Development under `dotnet run` and in
    // tests). Nothing for publish: deployed apps run as Production.
    private static IResourceBuilder<ProjectResource> WithAppHostEnvironment(this IResourceBuilder<ProjectResource> project)
    {
        var app = project.ApplicationBuilder;
        return !app.ExecutionContext.IsRunMode ? project : project
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", app.Environment.EnvironmentName)
            .WithEnvironment("DOTNET_ENVIRONMENT", app.Environment.EnvironmentName);
    }

    private static IResourceBuilder<ProjectResource> WithAdmin(this IResourceBuilder<ProjectResource> project, CodexInfrastructure infra) =>
        project.WithEnvironment("CODEX_ADMIN_EMAIL", infra.AdminEmail).WithEnvironment("CODEX_ADMIN_PASSWORD", infra.AdminPassword);
}
