// eng/ef.sh migrations add <Name> <service folder>: scaffolds a migration for the service's DbContext
// into <service>/Infrastructure/Migrations, the way `dotnet ef migrations add` would.
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args is not [var name, var projectDir, var assemblyName])
{
    Console.Error.WriteLine("usage: Codex.EfMigrations <MigrationName> <projectDir> <assemblyName>");
    return 2;
}

var assembly = Assembly.Load(assemblyName);
var contextType = assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(DbContext)) && !t.IsAbstract);
var optionsBuilder = (DbContextOptionsBuilder)Activator.CreateInstance(typeof(DbContextOptionsBuilder<>).MakeGenericType(contextType))!;
optionsBuilder.UseNpgsql("Host=design-time-only");
using var context = (DbContext)Activator.CreateInstance(contextType, optionsBuilder.Options)!;

var services = new ServiceCollection();
services.AddEntityFrameworkDesignTimeServices();
services.AddDbContextDesignTimeServices(context);
new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
using var provider = services.BuildServiceProvider();

var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
// Beside the context: <context namespace>.Migrations, in the matching folder under the project.
var subNamespace = contextType.Namespace!.StartsWith(assemblyName + ".", StringComparison.Ordinal)
    ? contextType.Namespace[(assemblyName.Length + 1)..] + ".Migrations"
    : "Migrations";
var migration = scaffolder.ScaffoldMigration(name, assemblyName, subNamespace, "C#");
var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, subNamespace.Replace('.', Path.DirectorySeparatorChar)));
Console.WriteLine($"{contextType.Name}: {files.MigrationFile}");
return 0;
