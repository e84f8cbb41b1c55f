using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace MedSeg.Core.Compression;

/// <summary>
/// Write-only stream producing a multi-member gzip file compressed in parallel, as `pigz --independent` does: the input
/// is cut into chunks and each chunk becomes its own gzip member (deflate data, CRC-32 and length), compressed on its
/// own thread-pool task by <see cref="DeflateCodec"/>. Concatenated members are one valid gzip file (RFC 1952 §2.2) that
/// gzip, zlib's gzread, Python's gzip module (nibabel) and .NET's GZipStream read whole. The first member's extra field
/// (<see cref="GzipChunkIndex"/>) lists the members' lengths when the output is seekable, so
/// <see cref="ParallelGzipReadStream"/> inflates them in parallel too. At most threads + 1 chunks are in flight
/// (memory ≈ 2 × that × chunk size).
/// </summary>
internal sealed class ParallelGzipWriteStream : Stream
{
    public const int DefaultChunkBytes = 1 << 20;

    private readonly Stream _output;
    private readonly int _level;
    private readonly int _chunkBytes;
    private readonly int _maxInFlight;
    private readonly DeflateCodec _codec;
    private readonly Queue<Task<Deflated>> _pending = new();
    private readonly List<uint> _lengths = [];
    private readonly long _headerPosition;
    private readonly int _reserved;
    private byte[]? _buffer;
    private int _filled;
    private long _total;
    private bool _finished;

    /// <param name="level">zlib-scale level 1–9 (1 = nibabel's default).</param>
    /// <param name="expectedLength">uncompressed length the caller will write; sizes the index (0 = unknown, no index).</param>
    /// <param name="codec">the chunk compressor (default <see cref="DeflateCodec.Default"/>).</param>
    public ParallelGzipWriteStream(Stream output, int level, long expectedLength, int threads, int chunkBytes = DefaultChunkBytes, DeflateCodec? codec = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1 << 12);
        _output = output;
        _level = level;
        _chunkBytes = chunkBytes;
        _codec = codec ?? DeflateCodec.Default;
        _maxInFlight = Math.Max(1, threads) + 1;
        long chunks = Math.Max(1, (expectedLength + chunkBytes - 1) / chunkBytes);
        _reserved = output.CanSeek && expectedLength > 0 && chunks <= GzipChunkIndex.MaxChunks ? (int)chunks : 0;
        _headerPosition = output.CanSeek ? output.Position : 0;
        output.Write(GzipChunkIndex.EmptyHeader(_reserved));
        _buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!data.IsEmpty)
        {
            // A full chunk is sent only once more data arrives: an empty input still ends as one (empty) member.
            if (_filled == _chunkBytes) Submit(last: false);
            int n = Math.Min(data.Length, _chunkBytes - _filled);
            data[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            _total += n;
            data = data[n..];
        }
    }

    /// <summary>Does nothing: a chunk is compressed only when full (flushing part of one would split the chunking).</summary>
    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_finished) Finish();
        }
        finally
        {
            _finished = true;
            if (_buffer is not null) { ArrayPool<byte>.Shared.Return(_buffer); _buffer = null; }
            base.Dispose(disposing);
        }
    }

    private void Finish()
    {
        Submit(last: true);
        while (_pending.Count > 0) WriteOldest();
        if (_reserved > 0 && _lengths.Count <= _reserved)
        {
            long end = _output.Position;
            var header = GzipChunkIndex.EmptyHeader(_reserved);
            new GzipChunkIndex(_chunkBytes, _total, [.. _lengths]).WriteEntries(header);
            _output.Position = _headerPosition;
            _output.Write(header);
            _output.Position = end;
        }
        _output.Flush();
    }

    private void Submit(bool last)
    {
        var chunk = _buffer!;
        int length = _filled;
        _buffer = last ? null : ArrayPool<byte>.Shared.Rent(_chunkBytes);
        _filled = 0;
        int level = _level;
        var codec = _codec;
        // Buffers are rented and returned on this thread (the pool keeps them per thread): no allocation per chunk.
        var output = ArrayPool<byte>.Shared.Rent(DeflateCodec.Bound(length));
        _pending.Enqueue(Task.Run(() => new Deflated(chunk, output, codec.Deflate(chunk, length, output, level),
            Crc32.HashToUInt32(chunk.AsSpan(0, length)), length)));
        while (_pending.Count > _maxInFlight) WriteOldest();
    }

    private void WriteOldest()
    {
        var done = _pending.Dequeue().GetAwaiter().GetResult();
        try
        {
            if (_lengths.Count > 0) _output.Write(GzipChunkIndex.PlainHeader); // the first member's header is already written
            _output.Write(done.Output, 0, done.Length);
            Span<byte> trailer = stackalloc byte[GzipChunkIndex.TrailerBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, done.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)done.InputLength);
            _output.Write(trailer);
            _lengths.Add((uint)done.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(done.Chunk);
            ArrayPool<byte>.Shared.Return(done.Output);
        }
    }

    private readonly record struct Deflated(byte[] Chunk, byte[] Output, int Length, uint Crc, int InputLength);
}
