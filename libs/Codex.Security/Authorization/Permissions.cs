using System.Security.Claims;

namespace Codex.Security.Authorization;

/// <summary>
/// Permission strings are dot-separated segments, <c>crm.leads.write</c>. A grant may use <c>*</c>: in
/// the middle it stands for one segment (<c>*.*.read</c>), at the end for one or more (<c>crm.*</c>),
/// alone for everything.
/// </summary>
public static class Permissions
{
    /// <summary>Whether <paramref name="user"/> may do <paramref name="required"/>: a superadmin, or a <c>perm</c> claim covering it.</summary>
    public static bool Holds(ClaimsPrincipal user, string required) =>
        user.HasClaim(CodexClaims.Role, CodexClaims.SuperadminRole)
        || Allows(user.FindAll(CodexClaims.Permission).Select(c => c.Value), required);

    /// <summary>Whether any of <paramref name="grants"/> covers <paramref name="required"/>.</summary>
    public static bool Allows(IEnumerable<string> grants, string required)
    {
        foreach (var grant in grants)
        {
            if (Covers(grant, required))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether one <paramref name="grant"/> covers <paramref name="required"/>.</summary>
    public static bool Covers(string grant, string required)
    {
        var granted = grant.Split('.');
        var wanted = required.Split('.');
        for (var i = 0; i < granted.Length; i++)
        {
            var last = i == granted.Length - 1;
            if (granted[i] == "*" && last)
            {
                return wanted.Length > i;
            }
            if (i >= wanted.Length || (granted[i] != "*" && !string.Equals(granted[i], wanted[i], StringComparison.Ordinal)))
            {
                return false;
            }
        }
        return granted.Length == wanted.Length;
    }

    /// <summary>
    /// A key scope as written by people: <c>crm.read</c> (every CRM read) is <c>crm.*.read</c>. Anything else is
    /// kept as it is.
    /// </summary>
    public static string Normalize(string scope) =>
        scope.Split('.') is [var service, var action] && action is "read" or "write" ? $"{service}.*.{action}" : scope;

    /// <summary>
    /// Whether any of <paramref name="grants"/> covers some <c>&lt;service&gt;.&lt;resource&gt;.&lt;action&gt;</c>: the gateway's
    /// check of a key against a route, which knows the service and the method but not the resource.
    /// </summary>
    public static bool Reaches(IEnumerable<string> grants, string service, string action)
    {
        foreach (var grant in grants)
        {
            if (Reaches(grant.AsSpan(), service, action))
            {
                return true;
            }
        }
        return false;
    }

    // On the gateway's path for every key-carrying request: read in place, no split.
    private static bool Reaches(ReadOnlySpan<char> grant, string service, string action)
    {
        var first = grant.IndexOf('.');
        if (first < 0)
        {
            return grant is "*";
        }
        if (grant[..first] is not "*" && !grant[..first].SequenceEqual(service))
        {
            return false;
        }
        var rest = grant[(first + 1)..];
        var second = rest.IndexOf('.');
        if (second < 0)
        {
            return rest is "*";
        }
        var last = rest[(second + 1)..];
        return last.IndexOf('.') < 0 && (last is "*" || last.SequenceEqual(action));
    }

    /// <summary>Whether <paramref name="permission"/> is well formed: lower-case segments, <c>*</c> allowed.</summary>
    public static bool IsValid(string permission) =>
        permission.Length is > 0 and <= 100
        && permission.Split('.').All(segment => segment == "*" || (segment.Length > 0 && segment.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')));
}
