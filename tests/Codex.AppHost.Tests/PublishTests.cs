using System.Text.Json;
using Codex.AppHost.Services;
using Svc = Codex.ResourceNames.Services;

namespace Codex.AppHost.Tests;

/// <summary>
/// What <c>azd up</c> reads: the AppHost's manifest (<c>--publisher manifest</c>), produced offline. Publish mode
/// models containers for the infrastructure whatever this machine has, and leaves the local-only steps out.
/// </summary>
public sealed class PublishTests
{
    private static readonly string[] Services = [Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Platform, Svc.Gateway, Svc.Web];

    [Fact]
    public async Task The_manifest_holds_every_service_with_its_bindings_and_the_infrastructure_as_containers()
    {
        var resources = (await PublishAsync()).GetProperty("resources");

        foreach (var name in Services)
        {
            var service = resources.GetProperty(name);
            Assert.Equal("project.v0", service.GetProperty("type").GetString());
            Assert.EndsWith(".csproj", service.GetProperty("path").GetString());
            var http = service.GetProperty("bindings").GetProperty("http");
            Assert.Equal("http", http.GetProperty("scheme").GetString());
            Assert.False(resources.TryGetProperty(name + CodexProjects.MigratorSuffix, out _), $"{name}'s migrate step is a local step");
        }
        foreach (var name in new[] { ResourceNames.Postgres, ResourceNames.Cache, ResourceNames.Messaging })
        {
            Assert.StartsWith("container.", resources.GetProperty(name).GetProperty("type").GetString());
        }
        foreach (var database in new[] { ResourceNames.Databases.Auth, ResourceNames.Databases.Crm, ResourceNames.Databases.Cms, ResourceNames.Databases.Billing, ResourceNames.Databases.Platform })
        {
            Assert.Equal("value.v0", resources.GetProperty(database).GetProperty("type").GetString());
            Assert.Equal($"{{{ResourceNames.Postgres}.connectionString}};Database={database}", resources.GetProperty(database).GetProperty("connectionString").GetString());
            // The logins: a role of the database's own, with a password generated on deploy.
            foreach (var (login, role) in new[] { (ResourceNames.Databases.AppLogin(database), $"{database}_app"), (ResourceNames.Databases.OwnerLogin(database), $"{database}_owner") })
            {
                var connection = resources.GetProperty(login).GetProperty("connectionString").GetString();
                Assert.Contains($"Username={role};Password={{{login}-password.value}};Database={database}", connection);
                Assert.True(resources.GetProperty($"{login}-password").GetProperty("inputs").GetProperty("value").GetProperty("default").TryGetProperty("generate", out _));
            }
        }
        // Each service's broker user: a login with a password generated on deploy, which the broker's definitions
        // (an environment variable its entrypoint writes where RabbitMQ loads them) carry too.
        var messaging = resources.GetProperty(ResourceNames.Messaging);
        Assert.Equal("/bin/sh", messaging.GetProperty("entrypoint").GetString());
        var definitions = messaging.GetProperty("env").GetProperty("CODEX_RABBITMQ_DEFINITIONS").GetString()!;
        foreach (var service in new[] { Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Platform, Svc.Gateway })
        {
            var login = ResourceNames.MessagingLogin(service);
            Assert.Equal($"amqp://{service}:{{{login}-password-uri-encoded.value}}@{{messaging.bindings.tcp.host}}:{{messaging.bindings.tcp.port}}",
                resources.GetProperty(login).GetProperty("connectionString").GetString());
            Assert.True(resources.GetProperty($"{login}-password").GetProperty("inputs").GetProperty("value").GetProperty("default").TryGetProperty("generate", out _));
            Assert.Contains($"\"name\":\"{service}\",\"password\":\"{{{login}-password.value}}\"", definitions);
        }
        Assert.DoesNotContain(resources.EnumerateObject(), r => r.Value.GetProperty("type").GetString() == "executable.v0");
        Assert.True(resources.GetProperty(Svc.Gateway).GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.True(resources.GetProperty(Svc.Web).GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.True(resources.GetProperty("admin-password").GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
    }

    [Fact]
    public async Task Each_service_gets_the_environment_contract_for_what_it_uses()
    {
        var resources = (await PublishAsync()).GetProperty("resources");
        Dictionary<string, string> Env(string name) => resources.GetProperty(name).GetProperty("env").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");

        var auth = Env(Svc.Auth);
        var crm = Env(Svc.Crm);
        var gateway = Env(Svc.Gateway);
        var web = Env(Svc.Web);

        Assert.Equal("{authdb-app.connectionString}", auth["ConnectionStrings__authdb"]);
        Assert.Equal("{cache.connectionString}", auth["ConnectionStrings__cache"]);
        Assert.Equal("{messaging-auth.connectionString}", auth["ConnectionStrings__messaging"]);
        Assert.Equal("{messaging-gateway.connectionString}", gateway["ConnectionStrings__messaging"]);
        Assert.Equal("{admin-email.value}", auth["CODEX_ADMIN_EMAIL"]);
        Assert.Equal("{admin-password.value}", auth["CODEX_ADMIN_PASSWORD"]);
        Assert.Equal("{crmdb-app.connectionString}", crm["ConnectionStrings__crmdb"]);
        Assert.False(crm.ContainsKey("ConnectionStrings__postgres"), "a service never gets the server's admin login");
        Assert.Equal("{auth.bindings.http.url}", crm["services__auth__http__0"]);
        Assert.False(crm.ContainsKey("ConnectionStrings__authdb"), "a service sees its own database only");
        foreach (var callee in new[] { Svc.Auth, Svc.Crm, Svc.Cms, Svc.Billing, Svc.Platform })
        {
            Assert.Equal($"{{{callee}.bindings.http.url}}", gateway[$"services__{callee}__http__0"]);
        }
        Assert.Equal("{gateway.bindings.http.url}", web["services__gateway__http__0"]);
        Assert.False(web.ContainsKey("ConnectionStrings__messaging"), "the console has no event bus");
        // Each caller's identity: one generated secret parameter, given to the caller and, under its name, to Auth.
        foreach (var (caller, env) in new[] { (Svc.Crm, crm), (Svc.Cms, Env(Svc.Cms)), (Svc.Billing, Env(Svc.Billing)), (Svc.Platform, Env(Svc.Platform)), (Svc.Gateway, gateway) })
        {
            var parameter = $"{caller}-identity";
            var value = resources.GetProperty(parameter).GetProperty("inputs").GetProperty("value");
            Assert.True(value.GetProperty("secret").GetBoolean());
            Assert.True(value.GetProperty("default").TryGetProperty("generate", out _), $"{parameter} is generated on deploy");
            Assert.Equal($"{{{parameter}.value}}", env["ServiceIdentity__Secret"]);
            Assert.Equal($"{{{parameter}.value}}", auth[$"Auth__ServiceClients__{caller}__Secret"]);
        }
        Assert.False(web.ContainsKey("ServiceIdentity__Secret"), "the console calls the gateway only, as its users");
        // Deployed apps run as Production: no Development environment leaks into the manifest.
        Assert.False(auth.ContainsKey("ASPNETCORE_ENVIRONMENT"));
    }

    private static async Task<JsonElement> PublishAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(Path.GetTempPath(), $"codex-manifest-{Guid.NewGuid():N}");
        try
        {
            // Codex:Infrastructure=process on purpose: publish mode must model containers anyway.
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codex_AppHost>(
                ["--publisher", "manifest", "--output-path", Path.Combine(output, "manifest.json"), "Codex:Infrastructure=process"], ct);
            await using var app = await builder.BuildAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await app.RunAsync(timeout.Token);
            return JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "manifest.json"), ct)).RootElement.Clone();
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
