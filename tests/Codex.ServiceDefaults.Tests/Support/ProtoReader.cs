using Codex.Testing;
using System.Text;

namespace Codex.ServiceDefaults.Tests.Support;

/// <summary>
/// Just enough of the protobuf wire format to read OTLP requests in tests: fields by number,
/// length-delimited payloads as sub-messages or UTF-8 strings.
/// </summary>
public static class ProtoReader
{
    public static IEnumerable<(int Field, ReadOnlyMemory<byte> Payload)> LengthDelimited(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            var field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    ReadVarint(message.Span, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return (field, message.Slice(position, length));
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type in key {key}.");
            }
        }
    }

    public static IEnumerable<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int field) =>
        LengthDelimited(message).Where(f => f.Field == field).Select(f => f.Payload);

    public static string? String(ReadOnlyMemory<byte> message, int field) =>
        Fields(message, field).Select(p => Encoding.UTF8.GetString(p.Span)).FirstOrDefault();

    /// <summary>KeyValue list (field <paramref name="field"/>) as key → string value.</summary>
    public static Dictionary<string, string?> Attributes(ReadOnlyMemory<byte> message, int field) =>
        Fields(message, field).ToDictionary(
            kv => String(kv, 1)!,
            kv => Fields(kv, 2).Select(any => String(any, 1)).FirstOrDefault());

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
