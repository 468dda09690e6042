using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Codex.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves logical service URIs (<c>http://auth/...</c>) to the endpoints the AppHost and eng/dev.sh
/// inject: <c>services__auth__http__0</c> (several indexes are used round-robin), then <c>AUTH_HTTP</c>.
/// <c>https+http://auth</c> prefers https and falls back to http, like Microsoft.Extensions.ServiceDiscovery.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, int> _nextIndex = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True for single-label host names such as <c>auth</c>; DNS names, IPs and localhost pass through.</summary>
    public static bool IsLogicalName(string host) =>
        host.Length > 0
        && !host.Contains('.')
        && !host.Contains(':')
        && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        && !IPAddress.TryParse(host, out _);

    /// <summary>Rewrites a logical URI to a concrete one; throws naming the variable to set when nothing is configured.</summary>
    public Uri Resolve(Uri logical)
    {
        var service = logical.Host;
        var schemes = logical.Scheme.Split('+');
        foreach (var scheme in schemes)
        {
            var endpoints = EndpointsFor(service, scheme);
            if (endpoints.Count > 0)
            {
                var turn = _nextIndex.AddOrUpdate($"{service}/{scheme}", 0, (_, i) => unchecked(i + 1));
                var index = (int)((uint)turn % (uint)endpoints.Count);
                return Combine(endpoints[index], logical);
            }
        }

        var scheme0 = schemes[0];
        throw new InvalidOperationException(
            $"No endpoint is configured for service '{service}' ({scheme0}): set services__{service}__{scheme0}__0 " +
            $"(or {EnvironmentName(service, scheme0)}) to its base URL, as the AppHost and eng/dev.sh do.");
    }

    private List<Uri> EndpointsFor(string service, string scheme)
    {
        var endpoints = new List<Uri>();
        foreach (var key in new[] { scheme, "default" })
        {
            var section = configuration.GetSection($"services:{service}:{key}");
            endpoints.AddRange(section.GetChildren()
                .OrderBy(child => int.TryParse(child.Key, out var i) ? i : int.MaxValue)
                .Select(child => child.Value)
                .Where(value => !string.IsNullOrWhiteSpace(value))
                .Select(value => new Uri(value!, UriKind.Absolute))
                .Where(uri => key == "default" || uri.Scheme.Equals(scheme, StringComparison.OrdinalIgnoreCase)));
            if (endpoints.Count > 0)
            {
                return endpoints;
            }
        }

        var single = configuration[EnvironmentName(service, scheme)];
        if (!string.IsNullOrWhiteSpace(single))
        {
            endpoints.Add(new Uri(single, UriKind.Absolute));
        }
        return endpoints;
    }

    /// <summary>Aspire 13's second form: the resource name with non-word characters as '_', upper-cased, then _SCHEME.</summary>
    private static string EnvironmentName(string service, string scheme)
    {
        var name = new StringBuilder(service.Length + scheme.Length + 1);
        foreach (var c in $"{service}_{scheme}")
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }
        return name.ToString();
    }

    private static Uri Combine(Uri endpoint, Uri logical)
    {
        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        var builder = new UriBuilder(endpoint.Scheme, endpoint.Host, endpoint.Port)
        {
            Path = basePath + logical.AbsolutePath,
            Query = logical.Query.TrimStart('?'),
        };
        return builder.Uri;
    }
}
