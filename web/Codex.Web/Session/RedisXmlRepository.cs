using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace Codex.Web.Session;

/// <summary>
/// Data-protection keys in one Redis list, so every replica (and a restarted one) reads the cookies,
/// antiforgery tokens and stored sessions the others wrote. The console has no database of its own.
/// </summary>
public sealed class RedisXmlRepository(IConnectionMultiplexer redis) : IXmlRepository
{
    private const string Key = "codex:web:dataprotection-keys";

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. redis.GetDatabase().ListRange(Key).Select(value => XElement.Parse((string)value!))];

    public void StoreElement(XElement element, string friendlyName) =>
        redis.GetDatabase().ListRightPush(Key, element.ToString(SaveOptions.DisableFormatting));
}
