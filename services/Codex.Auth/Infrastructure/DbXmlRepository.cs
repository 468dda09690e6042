using System.Xml.Linq;
using Codex.Auth.Model;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Codex.Auth.Infrastructure;

/// <summary>
/// Data Protection's key ring in authdb, so protected signing keys and TOTP secrets stay readable
/// across restarts and replicas (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore, which does
/// this, is not on the package mirror here).
/// </summary>
public sealed class DbXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return db.DataProtectionKeys.AsEnumerable().Select(key => XElement.Parse(key.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
