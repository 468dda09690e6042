using Codex.AppHost.Infrastructure;
using Codex.AppHost.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codex.AppHost.Services;

/// <summary>How every Codex service is modelled: one http endpoint, probed on <c>/health</c>, in the AppHost's environment.</summary>
public static class CodexProjects
{
    /// <summary>Suffix of the resource that runs a service's <c>migrate</c> command before the service.</summary>
    public const string MigratorSuffix = "-migrate";

    // Codex.ServiceDefaults maps these in every service (readiness; Scalar's page in Development).
    private const string HealthPath = "/health";
    private const string ApiReferencePath = "/scalar";

    /// <summary>
    /// A service project with a proxied <c>http</c> endpoint (fixed at <paramref name="port"/> in run mode; tests
    /// randomize it), its <c>/health</c> check, and links to its Scalar page (unless <paramref name="apiReference"/>
    /// is false) and to the console's page for it.
    /// No launch profile: the endpoint and the environment are the AppHost's, whatever launchSettings.json says.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddCodexService<TProject>(
        this IDistributedApplicationBuilder builder, string name, int? port = null, string? consolePath = null, bool apiReference = true)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: port)
            .WithHttpHealthCheck(HealthPath)
            .WithDegradedHealthCheck()
            .WithAppHostEnvironment();
        if (builder.ExecutionContext.IsRunMode)
        {
            service.WithUrlForEndpoint("http", url => url.DisplayText = $"{name} (http)");
            if (apiReference)
            {
                service.WithUrl(ReferenceExpression.Create($"{service.GetEndpoint("http")}{ApiReferencePath}"), "API reference (Scalar)");
            }
            if (consolePath is not null)
            {
                service.WithConsoleLink(consolePath);
            }
        }
        return service;
    }

    /// <summary>Degraded in the dashboard when the service's <c>/health</c> says so (<see cref="DegradedHealthCheck"/>).</summary>
    private static IResourceBuilder<ProjectResource> WithDegradedHealthCheck(this IResourceBuilder<ProjectResource> service)
    {
        var endpoint = service.GetEndpoint("http");
        var key = $"{service.Resource.Name}_degraded_check";
        var services = service.ApplicationBuilder.Services;
        services.AddHttpClient(key, client => client.Timeout = TimeSpan.FromSeconds(5));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            key,
            sp => new DegradedHealthCheck(sp.GetRequiredService<IHttpClientFactory>().CreateClient(key), () => new Uri(endpoint.Url + HealthPath)),
            failureStatus: null,
            tags: null));
        return service.WithHealthCheck(key);
    }

    /// <summary>
    /// The service's own database, signed in to as the service's own role (<c>ConnectionStrings__&lt;db&gt;</c>), and
    /// migrated first by a <c>&lt;name&gt;-migrate</c> resource (the service run with <c>migrate</c>) that the service
    /// waits to finish. That step signs in as the database's owner, and with the server's admin connection makes
    /// both roles first. The dashboard's <c>Run migrations</c> command runs it again.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabase(
        this IResourceBuilder<ProjectResource> service, CodexDatabase database)
    {
        var builder = service.ApplicationBuilder;
        // Left out of the deployment: published as a container app it would be restarted forever. A deployed
        // service creates its database and applies its migrations with the same command, run as a job.
        var migrator = builder.AddProject(service.Resource.Name + MigratorSuffix, service.Resource.GetProjectMetadata().ProjectPath,
                options => options.ExcludeLaunchProfile = true)
            .WithArgs("migrate")
            .WithAppHostEnvironment()
            .WithReference(database.Owner, connectionName: database.Name)
            .WithReference(database.App, connectionName: ResourceNames.Databases.AppLogin(database.Name))
            .WithReference(database.Server)
            .WaitFor(database.Database)
            .WithParentRelationship(service)
            .ExcludeFromManifest();
        // The first superadmin the service is given, its migrator seeds.
        foreach (var superadmin in service.Resource.Annotations.OfType<SuperadminAnnotation>().ToList())
        {
            migrator.WithAnnotation(superadmin);
        }
        return service
            .WithReference(database.App, connectionName: database.Name)
            .WaitFor(database.Database)
            .WaitForCompletion(migrator)
            .WithMigrateCommand(migrator.Resource);
    }

    /// <summary>
    /// RabbitMQ, signed in to as the service's own user (<c>ConnectionStrings__messaging</c> is its
    /// <c>messaging-&lt;name&gt;</c> login), once the broker is up.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMessaging(this IResourceBuilder<ProjectResource> service, CodexMessaging messaging) =>
        service.WithReference(messaging.Login(service.Resource.Name), connectionName: ResourceNames.Messaging)
            .WaitFor(messaging.Broker);

    /// <summary>
    /// The service's identity towards other services: a generated secret, given to the service as
    /// <c>ServiceIdentity__Secret</c> and to Auth as <c>Auth__ServiceClients__&lt;name&gt;__Secret</c>. With it the
    /// service gets client-credentials tokens from Auth for the internal routes it calls; a deploy generates
    /// the secret once, as a parameter.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceIdentity(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> auth)
    {
        var name = service.Resource.Name;
        var secret = service.ApplicationBuilder.AddParameter($"{name}-identity",
            new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true);
        auth.WithEnvironment($"Auth__ServiceClients__{name}__Secret", secret);
        return service.WithEnvironment("ServiceIdentity__Secret", secret);
    }

    /// <summary>The first superadmin's credentials (<c>CODEX_ADMIN_EMAIL</c>/<c>CODEX_ADMIN_PASSWORD</c>); call before <see cref="WithDatabase"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithSuperadmin(this IResourceBuilder<ProjectResource> service, Superadmin superadmin) =>
        service.WithAnnotation(new SuperadminAnnotation(superadmin));

    // The environment a launch profile would have set: the AppHost's (Development under `dotnet run` and in
    // tests). Nothing for publish: deployed apps run as Production.
    private static IResourceBuilder<ProjectResource> WithAppHostEnvironment(this IResourceBuilder<ProjectResource> project)
    {
        var app = project.ApplicationBuilder;
        return !app.ExecutionContext.IsRunMode ? project : project
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", app.Environment.EnvironmentName)
            .WithEnvironment("DOTNET_ENVIRONMENT", app.Environment.EnvironmentName);
    }
}

/// <summary>Sets the first superadmin's email and password on a service and its migrator.</summary>
internal sealed class SuperadminAnnotation(Superadmin superadmin) : EnvironmentCallbackAnnotation((EnvironmentCallbackContext context) =>
{
    context.EnvironmentVariables["CODEX_ADMIN_EMAIL"] = superadmin.Email.Resource;
    context.EnvironmentVariables["CODEX_ADMIN_PASSWORD"] = superadmin.Password.Resource;
});
