using Codex;
using Codex.AppHost.Dashboard;
using Codex.AppHost.Infrastructure;
using Codex.AppHost.Services;
using Microsoft.Extensions.Configuration;
using Db = Codex.ResourceNames.Databases;
using Svc = Codex.ResourceNames.Services;

// No dev-certificate TLS: the environment contract's ConnectionStrings__cache is plain host:port,password=…
// (Aspire would otherwise switch Redis to TLS where a trusted dev certificate exists).
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = args,
    DeveloperCertificateDefaultHttpsTerminationEnabled = false,
});

// PostgreSQL, Redis and RabbitMQ: containers where an engine answers, else local processes of the machine's
// own servers (Codex:Infrastructure = auto | containers | process); the same names and connection strings.
var infrastructure = builder.AddCodexInfrastructure();
var cache = infrastructure.Cache;
// Each service signs in to RabbitMQ as a user of its own, which may read only its own queues and publish only
// its own events. Declared before the services, so the tests' servers (Codex:Services=false) have them too.
var messaging = infrastructure.AddMessagingUsers(Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Platform, Svc.Gateway);

// Codex:Services=false runs the infrastructure alone: the tests' servers, or a service debugged from an IDE.
if (!builder.Configuration.GetValue("Codex:Services", defaultValue: true))
{
    builder.Build().Run();
    return;
}

var superadmin = Superadmin.Add(builder);

var auth = builder.AddCodexService<Projects.Codex_Auth>(Svc.Auth, consolePath: "/security")
    .WithSuperadmin(superadmin)
    .WithDatabase(infrastructure.AddDatabase(Db.Auth))
    .WithReference(cache).WaitFor(cache)
    .WithMessaging(messaging);

var crm = builder.AddCodexService<Projects.Codex_Crm>(Svc.Crm, consolePath: "/overview")
    .WithDatabase(infrastructure.AddDatabase(Db.Crm))
    .WithReference(cache).WaitFor(cache)
    .WithMessaging(messaging)
    .WithReference(auth)
    .WithServiceIdentity(auth);

var cms = builder.AddCodexService<Projects.Codex_Cms>(Svc.Cms, consolePath: "/overview")
    .WithDatabase(infrastructure.AddDatabase(Db.Cms))
    .WithReference(cache).WaitFor(cache)
    .WithMessaging(messaging)
    .WithReference(auth)
    .WithServiceIdentity(auth);
if (builder.ExecutionContext.IsRunMode)
{
    // Uploads of a local run live beside the servers' data under .codex/; a deployment configures its own store.
    cms.WithEnvironment("Cms__Media__Root", Path.Combine(LocalServers.DataRoot(builder), "media"));
}

// Billing's customers are CRM's: it keeps its copy from CRM's events.
var billing = builder.AddCodexService<Projects.Codex_Billing>(Svc.Billing, consolePath: "/overview")
    .WithDatabase(infrastructure.AddDatabase(Db.Billing))
    .WithReference(cache).WaitFor(cache)
    .WithMessaging(messaging)
    .WithReference(auth)
    .WithServiceIdentity(auth);

// Platform reconciles against every service's /internal/summary/{tenantId}.
var platform = builder.AddCodexService<Projects.Codex_Platform>(Svc.Platform, consolePath: "/tenants")
    .WithDatabase(infrastructure.AddDatabase(Db.Platform))
    .WithReference(cache).WaitFor(cache)
    .WithMessaging(messaging)
    .WithReference(auth)
    .WithReference(crm)
    .WithReference(cms)
    .WithReference(billing)
    .WithServiceIdentity(auth)
    .WithReconcileCommand(auth, superadmin);

// The one public entry: 127.0.0.1:5100 in run mode.
var gateway = builder.AddCodexService<Projects.Codex_Gateway>(Svc.Gateway, port: 5100, consolePath: "/overview")
    .WithExternalHttpEndpoints()
    .WithReference(cache).WaitFor(cache)
    .WithMessaging(messaging)
    .WithReference(auth).WaitFor(auth)
    .WithReference(crm)
    .WithReference(cms)
    .WithReference(billing)
    .WithReference(platform)
    .WithServiceIdentity(auth)
    // The console forwards its browsers' addresses (for Auth's throttle); locally it calls from loopback.
    .WithEnvironment(context =>
    {
        if (context.ExecutionContext.IsRunMode)
        {
            context.EnvironmentVariables["Gateway__TrustedProxies__0"] = "127.0.0.1/32";
        }
    });

// The admin console talks to the gateway only; its sessions live in Redis. 127.0.0.1:5200 in run mode.
builder.AddCodexService<Projects.Codex_Web>(Svc.Web, port: 5200, apiReference: false)
    .WithExternalHttpEndpoints()
    .WithReference(cache).WaitFor(cache)
    .WithReference(gateway).WaitFor(gateway);

// Every service with an event bus can replay its dead letters from the dashboard.
foreach (var service in new[] { auth, crm, cms, billing, platform })
{
    service.WithDeadLetterReplayCommand(auth, superadmin);
}

builder.Build().Run();
