using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Codex.Auth.Identity;

/// <summary>
/// RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s steps, 6 digits), the variant every
/// authenticator app speaks. No maintained package for it is on the package mirror here.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>The time step that contains <paramref name="time"/>.</summary>
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for one time step (RFC 4226 dynamic truncation).</summary>
    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The step <paramref name="code"/> belongs to, looking one step either side of now (clock drift),
    /// or null. Compared in constant time.
    /// </summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now, int window = 1)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        var current = StepAt(now);
        for (var step = current - window; step <= current + window; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return step;
            }
        }
        return null;
    }
}
