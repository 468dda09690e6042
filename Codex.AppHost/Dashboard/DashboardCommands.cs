using Microsoft.Extensions.DependencyInjection;

namespace Codex.AppHost.Dashboard;

/// <summary>
/// The dashboard as the ops console: commands on the services' resources (the dashboard cannot host pages,
/// so deeper views are links into the admin console). Commands that change data act as the superadmin
/// through the services' own admin APIs, so they are checked and audited like any other call.
/// </summary>
public static class DashboardCommands
{
    public const string RunMigrations = "run-migrations";
    public const string ReplayDeadLetters = "replay-dead-letters";
    public const string ReconcileAllTenants = "reconcile-all-tenants";

    /// <summary>Runs the service's <c>migrate</c> step again and waits for it to finish.</summary>
    public static IResourceBuilder<ProjectResource> WithMigrateCommand(this IResourceBuilder<ProjectResource> service, ProjectResource migrator) =>
        service.WithCommand(RunMigrations, "Run migrations", async context =>
        {
            var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
            var before = notifications.TryGetCurrentState(migrator.Name, out var current) ? current.Snapshot.StartTimeStamp : null;
            var started = await context.Services.GetRequiredService<ResourceCommandService>()
                .ExecuteCommandAsync(migrator, KnownResourceCommands.StartCommand, context.CancellationToken);
            if (!started.Success)
            {
                return started;
            }
            var end = await notifications.WaitForResourceAsync(migrator.Name, e =>
                e.Snapshot.StartTimeStamp != before && e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
                context.CancellationToken);
            return end.Snapshot.ExitCode == 0
                ? CommandResults.Success($"{migrator.Name} applied the migrations.")
                : CommandResults.Failure($"{migrator.Name} ended as {end.Snapshot.State?.Text} with exit code {end.Snapshot.ExitCode}; its console log says why.");
        }, new CommandOptions { Description = "Apply the service's pending EF Core migrations now.", IconName = "DatabaseArrowUp" });

    /// <summary>Sends every message of the service's dead-letter queue back to its queue.</summary>
    public static IResourceBuilder<ProjectResource> WithDeadLetterReplayCommand(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> auth, Superadmin superadmin) =>
        service.WithSuperadminCommand(ReplayDeadLetters, "Replay dead letters", auth, superadmin,
            $"/api/v1/{service.Resource.Name}/admin/dead-letters/replay",
            new CommandOptions
            {
                Description = "Send every dead-lettered event back to this service's queue.",
                ConfirmationMessage = "Send every dead letter of this service back to its queue?",
                IconName = "MailArrowUp",
            });

    /// <summary>Compares every tenant's summary with each service's own figures and repairs drift.</summary>
    public static IResourceBuilder<ProjectResource> WithReconcileCommand(
        this IResourceBuilder<ProjectResource> platform, IResourceBuilder<ProjectResource> auth, Superadmin superadmin) =>
        platform.WithSuperadminCommand(ReconcileAllTenants, "Reconcile all tenants", auth, superadmin,
            "/api/v1/platform/reconciliation",
            new CommandOptions { Description = "Reconcile every tenant's summary with the services now.", IconName = "ArrowSync" });

    /// <summary>A link on the resource to the admin console's page for it.</summary>
    public static IResourceBuilder<ProjectResource> WithConsoleLink(this IResourceBuilder<ProjectResource> service, string path)
    {
        service.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            if (e.Model.Resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == ResourceNames.Services.Web) is { } web)
            {
                service.WithUrl(ReferenceExpression.Create($"{web.GetEndpoint("http")}{path}"), "Admin console");
            }
            return Task.CompletedTask;
        });
        return service;
    }

    private static IResourceBuilder<ProjectResource> WithSuperadminCommand(
        this IResourceBuilder<ProjectResource> service, string name, string displayName,
        IResourceBuilder<ProjectResource> auth, Superadmin superadmin, string path, CommandOptions options) =>
        service.WithCommand(name, displayName, async context =>
        {
            var target = new Uri(new Uri(service.GetEndpoint("http").Url), path);
            return await superadmin.ActAsync(auth.GetEndpoint("http"), async http =>
            {
                using var response = await http.PostAsync(target, null, context.CancellationToken);
                var body = await response.Content.ReadAsStringAsync(context.CancellationToken);
                return response.IsSuccessStatusCode
                    ? CommandResults.Success($"{displayName}: done.", body, CommandResultFormat.Json)
                    : CommandResults.Failure($"{displayName}: {(int)response.StatusCode} from {service.Resource.Name}.", body, CommandResultFormat.Json);
            }, context.CancellationToken);
        }, options);
}
