using System.Buffers.Binary;
using System.Buffers.Text;

namespace Codex;

/// <summary>One page of a keyset-paged list: the items and the cursor of the next page (null on the last).</summary>
public sealed record KeysetPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Where a keyset page ends: the last row's sort instant (when the list is sorted by one) and its id,
/// as an opaque URL-safe string, so clients never build cursors themselves.
/// </summary>
public readonly record struct KeysetCursor(DateTimeOffset? At, Guid Id)
{
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, At?.UtcTicks ?? -1);
        Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The cursor a client sent back, or null for the first page; a 400 naming <c>cursor</c> when it is not one of ours.</summary>
    public static KeysetCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        Span<byte> bytes = stackalloc byte[24];
        if (cursor.Length != 32 || !TryDecode(cursor, bytes))
        {
            throw new ValidationException("cursor", "cursor is not a cursor this list gave out.");
        }
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks != -1 && (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks))
        {
            throw new ValidationException("cursor", "cursor is not a cursor this list gave out.");
        }
        return new KeysetCursor(ticks == -1 ? null : new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[8..], bigEndian: true));
    }

    // TryDecodeFromChars throws, rather than answering false, on characters outside the alphabet.
    private static bool TryDecode(string cursor, Span<byte> bytes)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(cursor, bytes, out var written) && written == 24;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The page of <paramref name="rows"/> (fetched with one row more than <paramref name="limit"/>) and the next cursor.</summary>
    public static KeysetPage<TOut> Page<TRow, TOut>(IReadOnlyList<TRow> rows, int limit, Func<TRow, KeysetCursor> cursorOf, Func<TRow, TOut> map) =>
        PageBy(rows, limit, row => cursorOf(row).Encode(), map);

    /// <summary>As <see cref="Page{TRow, TOut}"/>, for a list whose cursor is not (instant, id): the caller encodes it.</summary>
    public static KeysetPage<TOut> PageBy<TRow, TOut>(IReadOnlyList<TRow> rows, int limit, Func<TRow, string> cursorOf, Func<TRow, TOut> map)
    {
        var items = rows.Take(limit).Select(map).ToList();
        return new KeysetPage<TOut>(items, rows.Count > limit ? cursorOf(rows[limit - 1]) : null);
    }
}
