using Codex;
using Codex.AppHost;

// No dev-certificate TLS on the containers: the environment contract's ConnectionStrings__cache is plain
// host:port,password=… (Aspire would otherwise switch Redis to TLS where a trusted dev cert exists).
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = args,
    DeveloperCertificateDefaultHttpsTerminationEnabled = false,
});

// One server, a database per service; eight services' pools outgrow the default max_connections (100).
var postgres = builder.AddPostgres(ResourceNames.Postgres).WithArgs("-c", "max_connections=300");

// Codex:DataVolumes=false (the AppHost tests pass it): a throwaway server, the developer's data untouched.
if (!string.Equals(builder.Configuration["Codex:DataVolumes"], "false", StringComparison.OrdinalIgnoreCase))
{
    postgres.WithDataVolume();
}

// First superadmin, as eng/dev.sh: admin@codex.local / Codex-Dev-Admin-2026! locally, overridable with
// Parameters:admin-email / Parameters:admin-password. On deploy the password is generated (azd input).
string Config(string key, string fallback) => builder.Configuration[$"Parameters:{key}"] ?? fallback;
var adminPassword = builder.ExecutionContext.IsPublishMode
    ? builder.AddParameter("admin-password", new GenerateParameterDefault { MinLower = 1, MinUpper = 1, MinNumeric = 1, MinSpecial = 1 }, secret: true)
    : builder.AddParameter("admin-password", () => Config("admin-password", "Codex-Dev-Admin-2026!"), secret: true);

var infrastructure = new CodexInfrastructure(
    Databases: ResourceNames.Databases.All.ToDictionary(name => name, name => postgres.AddDatabase(name)),
    Cache: builder.AddRedis(ResourceNames.Cache),
    Messaging: builder.AddRabbitMQ(ResourceNames.Messaging).WithManagementPlugin(),
    AdminEmail: builder.AddParameter("admin-email", () => Config("admin-email", "admin@codex.local"), publishValueAsDefault: true),
    AdminPassword: adminPassword);

// Every service and the web console whose project exists (CodexResources.Stack).
builder.AddCodexProjects(infrastructure);

builder.Build().Run();
