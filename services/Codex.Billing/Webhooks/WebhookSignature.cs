using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Codex.Billing.Webhooks;

/// <summary>
/// <c>Codex-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" under the endpoint's secret&gt;</c>. The
/// timestamp is signed with the body, so a receiver that refuses a signature older than a few minutes refuses a replay.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Codex-Signature";

    /// <summary>How old a signature a receiver should still take (what <see cref="Verify"/> allows by default).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Hex(secret, timestamp, body)}";
    }

    /// <summary>What a receiver does: the signature matches the body and is recent. Constant-time comparison.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var timestamp) || !parts.TryGetValue("v1", out var signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > (tolerance ?? Tolerance))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
    }

    private static string Hex(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
