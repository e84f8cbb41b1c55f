using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MedSeg.Core.Compression;

/// <summary>
/// Read-only stream over a gzip file: files written by <see cref="ParallelGzipWriteStream"/> (the first member's header
/// lists the members, <see cref="GzipChunkIndex"/>) are inflated member by member on up to threads + 1 thread-pool tasks
/// ahead of the reader, each checked against its CRC-32 and length (corruption: <see cref="InvalidDataException"/>);
/// every other gzip file (other multi-member files included) goes through <see cref="GZipStream"/> unchanged.
/// </summary>
internal sealed class ParallelGzipReadStream : Stream
{
    private readonly FileStream _file;
    private readonly GzipChunkIndex _index;
    private readonly long[] _offsets;
    private readonly int _maxAhead;
    private readonly DeflateCodec _codec;
    private readonly Queue<Task<(byte[] Output, byte[] Compressed)>> _ahead = new();
    private int _scheduled;
    private int _taken;
    private byte[]? _current;
    private int _currentLength;
    private int _position;
    private long _served;

    private ParallelGzipReadStream(FileStream file, GzipChunkIndex index, long[] offsets, int threads, DeflateCodec codec)
    {
        _file = file;
        _index = index;
        _offsets = offsets;
        _codec = codec;
        _maxAhead = Math.Max(1, threads) + 1;
    }

    /// <summary>
    /// A reading stream for the gzip file open in <paramref name="file"/> (positioned at 0); it owns the file.
    /// Sequential <see cref="GZipStream"/> when the file has no usable member index or <paramref name="threads"/> is 0
    /// (e.g. reading only a header: no member is inflated ahead).
    /// </summary>
    public static Stream Open(FileStream file, int threads, DeflateCodec? codec = null)
    {
        if (threads > 0 && file.CanSeek && GzipChunkIndex.TryRead(file) is var (index, dataOffset))
        {
            // Member i's deflate data starts after member i-1's data, its trailer and member i's plain header.
            var offsets = new long[index.CompressedLengths.Length];
            long at = dataOffset;
            for (int i = 0; i < offsets.Length; i++)
            {
                offsets[i] = at;
                at += index.CompressedLengths[i] + GzipChunkIndex.TrailerBytes + (i + 1 < offsets.Length ? GzipChunkIndex.PlainHeaderBytes : 0);
            }
            if (at == file.Length) return new ParallelGzipReadStream(file, index, offsets, threads, codec ?? DeflateCodec.Default);
        }
        file.Position = 0;
        return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _served; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length)
        {
            if (_current is null || _position == _currentLength)
            {
                if (_taken == _offsets.Length) break;
                NextChunk();
            }
            int n = Math.Min(destination.Length - copied, _currentLength - _position);
            _current.AsSpan(_position, n).CopyTo(destination[copied..]);
            _position += n;
            copied += n;
        }
        _served += copied;
        return copied;
    }

    private void NextChunk()
    {
        if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        while (_ahead.Count < _maxAhead && _scheduled < _offsets.Length) Schedule(_scheduled++);
        // Buffers are rented and returned on this thread (the pool keeps them per thread): no allocation per chunk.
        var (chunk, compressed) = _ahead.Dequeue().GetAwaiter().GetResult();
        ArrayPool<byte>.Shared.Return(compressed);
        _currentLength = _index.ChunkLength(_taken++);
        _current = chunk;
        _position = 0;
    }

    /// <summary>
    /// Reads member <paramref name="i"/>'s header (after the first), deflate data and trailer here (sequential file
    /// access), and inflates and checks it on a task.
    /// </summary>
    private void Schedule(int i)
    {
        int header = i == 0 ? 0 : GzipChunkIndex.PlainHeaderBytes;
        int compressedLength = (int)_index.CompressedLengths[i];
        int total = header + compressedLength + GzipChunkIndex.TrailerBytes;
        var member = ArrayPool<byte>.Shared.Rent(total);
        _file.Position = _offsets[i] - header;
        _file.ReadExactly(member, 0, total);
        int length = _index.ChunkLength(i);
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        var codec = _codec;
        _ahead.Enqueue(Task.Run(() => Inflate(codec, member, header, compressedLength, output, length, i)));
    }

    private static (byte[] Output, byte[] Compressed) Inflate(DeflateCodec codec, byte[] member, int header, int compressedLength, byte[] output, int length, int i)
    {
        if (header > 0 && (member[0] != 0x1f || member[1] != 0x8b || member[2] != 8))
            throw new InvalidDataException($"gzip member {i} does not start with a gzip header where the index places it");
        try { codec.Inflate(member, header, compressedLength, output, length); }
        catch (InvalidDataException e) { throw new InvalidDataException($"gzip member {i}: {e.Message}", e); }
        var trailer = member.AsSpan(header + compressedLength, GzipChunkIndex.TrailerBytes);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer), size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        uint actual = Crc32.HashToUInt32(output.AsSpan(0, length));
        if (crc != actual || size != (uint)length)
            throw new InvalidDataException(
                $"gzip member {i}: its trailer says CRC-32 {crc:x8} and {size:N0} bytes; the data inflates to CRC-32 {actual:x8} and {length:N0} bytes");
        return (output, member);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Tasks still running return their buffers; their results are dropped (and observed).
            foreach (var task in _ahead)
                task.ContinueWith(t => { if (t.IsCompletedSuccessfully) { ArrayPool<byte>.Shared.Return(t.Result.Output); ArrayPool<byte>.Shared.Return(t.Result.Compressed); } },
                    TaskScheduler.Default);
            _ahead.Clear();
            if (_current is not null) { ArrayPool<byte>.Shared.Return(_current); _current = null; }
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
