using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MedSeg.Core.Compression;

/// <summary>
/// Write-only stream producing one ordinary gzip member whose deflate data is compressed in parallel, as pigz does:
/// the input is cut into chunks, each chunk is deflated on its own thread-pool task (no history shared between chunks)
/// and ended with a sync flush (byte-aligned, not final), the last chunk with the final block; the concatenation is one
/// valid deflate stream, so every gzip reader accepts the file. The header's extra field (<see cref="GzipChunkIndex"/>)
/// lists the chunks' compressed lengths when the output is seekable, so <see cref="ParallelGzipReadStream"/> can also
/// inflate in parallel. At most threads + 1 chunks are in flight (memory ≈ 2 × that × chunk size).
/// </summary>
internal sealed class ParallelGzipWriteStream : Stream
{
    public const int DefaultChunkBytes = 1 << 20;

    private readonly Stream _output;
    private readonly int _level;
    private readonly int _chunkBytes;
    private readonly int _maxInFlight;
    private readonly Crc32 _crc = new();
    private readonly Queue<Task<Deflated>> _pending = new();
    private readonly List<uint> _lengths = [];
    private readonly long _headerPosition;
    private readonly int _reserved;
    private byte[]? _buffer;
    private int _filled;
    private long _total;
    private bool _finished;

    /// <param name="level">zlib level 1–9 (zlib-ng: level 1 is its much larger "quick" mode).</param>
    /// <param name="expectedLength">uncompressed length the caller will write; sizes the index (0 = unknown, no index).</param>
    public ParallelGzipWriteStream(Stream output, int level, long expectedLength, int threads, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1 << 12);
        _output = output;
        _level = level;
        _chunkBytes = chunkBytes;
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
            // A full chunk is sent only once more data arrives: the last chunk (final block) is whatever remains at the end.
            if (_filled == _chunkBytes) Submit(last: false);
            int n = Math.Min(data.Length, _chunkBytes - _filled);
            data[..n].CopyTo(_buffer.AsSpan(_filled));
            _crc.Append(data[..n]);
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
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)_total); // ISIZE: length mod 2^32
        _output.Write(trailer);
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
        // Buffers are rented and returned on this thread (the pool keeps them per thread): no allocation per chunk.
        var output = ArrayPool<byte>.Shared.Rent(DeflateBound(length));
        _pending.Enqueue(Task.Run(() => Deflate(chunk, length, output, level, last)));
        while (_pending.Count > _maxInFlight) WriteOldest();
    }

    private void WriteOldest()
    {
        var done = _pending.Dequeue().GetAwaiter().GetResult();
        try
        {
            _output.Write(done.Output, 0, done.Length);
            _lengths.Add((uint)done.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(done.Chunk);
            ArrayPool<byte>.Shared.Return(done.Output);
        }
    }

    private readonly record struct Deflated(byte[] Chunk, byte[] Output, int Length);

    /// <summary>zlib's deflateBound for stored blocks plus room for the sync flush and final block.</summary>
    private static int DeflateBound(int length) => length + (length >> 3) + (length >> 6) + 64;

    private static Deflated Deflate(byte[] chunk, int length, byte[] output, int level, bool last)
    {
        var sink = new MemoryStream(output, writable: true);
        var deflate = new DeflateStream(sink, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true);
        deflate.Write(chunk, 0, length);
        if (!last)
        {
            deflate.Flush(); // sync flush: byte-aligned, the stream continues in the next chunk
            return new Deflated(chunk, output, (int)sink.Position); // (the final block Dispose would add is not used)
        }
        deflate.Dispose(); // final block
        if (sink.Position > 0) return new Deflated(chunk, output, (int)sink.Position);
        // Nothing written at all: .NET emits no block, but a deflate stream needs one (an empty final fixed block).
        output[0] = 0x03; output[1] = 0x00;
        return new Deflated(chunk, output, 2);
    }
}
