using System.Buffers.Binary;

namespace MedSeg.Core.Compression;

/// <summary>
/// The first member's gzip header (RFC 1952) <see cref="ParallelGzipWriteStream"/> writes: FLG.FEXTRA with one subfield
/// 'M','M' listing the deflate length of every member (one member per chunk), so <see cref="ParallelGzipReadStream"/> can
/// find and inflate them in parallel. Every other gzip reader skips the extra field and reads the members one after
/// another, as `cat a.gz b.gz` or `pigz --independent` output. Subfield data, little-endian: chunk size u32
/// (uncompressed bytes per member, the last may be shorter), total uncompressed length u64, member count u32 (0 = no
/// index), then each member's deflate length u32 (members after the first have a plain 10-byte header, every member an
/// 8-byte trailer). Files from the previous format ('M','I': one member cut by sync flushes) are read sequentially.
/// </summary>
internal sealed record GzipChunkIndex(int ChunkBytes, long TotalLength, uint[] CompressedLengths)
{
    private const byte Id1 = (byte)'M', Id2 = (byte)'M';
    private const int FixedBytes = 4 + 8 + 4;
    private const int MaxSubfieldBytes = ushort.MaxValue - 4;

    /// <summary>Most chunks an index can list (the extra field is at most 65,535 bytes).</summary>
    public const int MaxChunks = (MaxSubfieldBytes - FixedBytes) / 4;

    /// <summary>Bytes of a member's header after the first (no extra field) and of every member's trailer (CRC-32, ISIZE).</summary>
    public const int PlainHeaderBytes = 10, TrailerBytes = 8;

    /// <summary>Bytes before the first chunk's deflate data in a header reserving <paramref name="chunks"/> entries.</summary>
    public static int HeaderBytes(int chunks) => 10 + 2 + 4 + FixedBytes + 4 * chunks;

    /// <summary>The gzip header with room for <paramref name="chunks"/> entries (count 0 until <see cref="WriteEntries"/>).</summary>
    public static byte[] EmptyHeader(int chunks)
    {
        var h = new byte[HeaderBytes(chunks)];
        PlainHeader.CopyTo(h);
        h[3] = 4; // FEXTRA
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(10), (ushort)(4 + FixedBytes + 4 * chunks));
        h[12] = Id1; h[13] = Id2;
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(14), (ushort)(FixedBytes + 4 * chunks));
        return h;
    }

    /// <summary>The header of a member after the first: deflate, no flags, MTIME 0, XFL 0, OS Unix.</summary>
    public static ReadOnlySpan<byte> PlainHeader => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];

    /// <summary>Fills the reserved header with this index (its chunk count must fit the reservation).</summary>
    public void WriteEntries(byte[] header)
    {
        var d = header.AsSpan(16);
        BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)ChunkBytes);
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], TotalLength);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], (uint)CompressedLengths.Length);
        for (int i = 0; i < CompressedLengths.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(d[(FixedBytes + 4 * i)..], CompressedLengths[i]);
    }

    /// <summary>
    /// Reads the index from the start of a gzip file, or null (any other gzip header, no 'M','I' subfield, count 0,
    /// or numbers that do not add up): the caller then reads sequentially. Returns the deflate data's offset too.
    /// </summary>
    public static (GzipChunkIndex Index, int DataOffset)? TryRead(Stream file)
    {
        Span<byte> fixedHeader = stackalloc byte[12];
        if (file.ReadAtLeast(fixedHeader, 12, throwOnEndOfStream: false) < 12) return null;
        if (fixedHeader[0] != 0x1f || fixedHeader[1] != 0x8b || fixedHeader[2] != 8 || fixedHeader[3] != 4) return null;
        int xlen = BinaryPrimitives.ReadUInt16LittleEndian(fixedHeader[10..]);
        var extra = new byte[xlen];
        if (file.ReadAtLeast(extra, xlen, throwOnEndOfStream: false) < xlen) return null;
        for (int at = 0; at + 4 <= xlen;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(extra.AsSpan(at + 2));
            if (at + 4 + length > xlen) return null;
            if (extra[at] == Id1 && extra[at + 1] == Id2 && length >= FixedBytes)
                return Parse(extra.AsSpan(at + 4, length)) is { } index ? (index, 12 + xlen) : null;
            at += 4 + length;
        }
        return null;
    }

    private static GzipChunkIndex? Parse(ReadOnlySpan<byte> d)
    {
        uint chunkBytes = BinaryPrimitives.ReadUInt32LittleEndian(d);
        long total = BinaryPrimitives.ReadInt64LittleEndian(d[4..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(d[12..]);
        if (count == 0 || chunkBytes == 0 || chunkBytes > int.MaxValue || total < 0 || FixedBytes + 4L * count > d.Length) return null;
        if ((total + chunkBytes - 1) / chunkBytes != count && !(total == 0 && count == 1)) return null;
        var lengths = new uint[count];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = BinaryPrimitives.ReadUInt32LittleEndian(d[(FixedBytes + 4 * i)..]);
        return new GzipChunkIndex((int)chunkBytes, total, lengths);
    }

    /// <summary>Uncompressed bytes of chunk <paramref name="i"/>.</summary>
    public int ChunkLength(int i) => (int)Math.Min(ChunkBytes, TotalLength - (long)i * ChunkBytes);
}
