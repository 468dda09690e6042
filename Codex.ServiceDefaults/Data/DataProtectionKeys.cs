using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codex.ServiceDefaults.Data;

/// <summary>One Data Protection key, so key rings survive restarts and are shared by replicas.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

/// <summary>A DbContext that holds the service's Data Protection key ring (table <c>data_protection_keys</c>).</summary>
public interface IDataProtectionKeyContext
{
    DbSet<DataProtectionKey> DataProtectionKeys { get; }
}

/// <summary>
/// Data Protection's key ring in the service's database (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore,
/// which does this, is not on the package mirror here).
/// </summary>
public sealed class DbXmlRepository<TContext>(IServiceScopeFactory scopes) : IXmlRepository
    where TContext : DbContext, IDataProtectionKeyContext
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return db.DataProtectionKeys.AsNoTracking().AsEnumerable().Select(key => XElement.Parse(key.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

public static class DataProtectionKeyExtensions
{
    /// <summary>Keeps the key ring in <typeparamref name="TContext"/>'s <c>data_protection_keys</c> table.</summary>
    public static IDataProtectionBuilder PersistKeysToDbContext<TContext>(this IDataProtectionBuilder builder)
        where TContext : DbContext, IDataProtectionKeyContext
    {
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DbXmlRepository<TContext>(sp.GetRequiredService<IServiceScopeFactory>())));
        return builder;
    }

    /// <summary>Maps <see cref="DataProtectionKey"/> to <c>data_protection_keys</c>.</summary>
    public static ModelBuilder AddDataProtectionKeys(this ModelBuilder builder)
    {
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        return builder;
    }
}
