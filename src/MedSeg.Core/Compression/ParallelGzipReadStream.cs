using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MedSeg.Core.Compression;

/// <summary>
/// Read-only stream over a gzip file: files written by <see cref="ParallelGzipWriteStream"/> (their header lists the
/// chunks, <see cref="GzipChunkIndex"/>) are inflated chunk by chunk on up to threads + 1 thread-pool tasks ahead of
/// the reader; every other gzip file (including multi-member files) goes through <see cref="GZipStream"/> unchanged.
/// The CRC-32 and length in the trailer are checked once the last chunk is inflated (corruption: <see cref="InvalidDataException"/>).
/// </summary>
internal sealed class ParallelGzipReadStream : Stream
{
    private readonly FileStream _file;
    private readonly GzipChunkIndex _index;
    private readonly long[] _offsets;
    private readonly long _trailerOffset;
    private readonly int _maxAhead;
    private readonly Crc32 _crc = new();
    private readonly Queue<Task<(byte[] Output, byte[] Compressed)>> _ahead = new();
    private int _scheduled;
    private int _taken;
    private byte[]? _current;
    private int _currentLength;
    private int _position;
    private long _served;

    private ParallelGzipReadStream(FileStream file, GzipChunkIndex index, long[] offsets, long trailerOffset, int threads)
    {
        _file = file;
        _index = index;
        _offsets = offsets;
        _trailerOffset = trailerOffset;
        _maxAhead = Math.Max(1, threads) + 1;
    }

    /// <summary>
    /// A reading stream for the gzip file open in <paramref name="file"/> (positioned at 0); it owns the file.
    /// Sequential <see cref="GZipStream"/> when the file has no usable chunk index or <paramref name="threads"/> is 0
    /// (e.g. reading only a header: no chunk is inflated ahead).
    /// </summary>
    public static Stream Open(FileStream file, int threads)
    {
        if (threads > 0 && file.CanSeek && GzipChunkIndex.TryRead(file) is var (index, dataOffset))
        {
            var offsets = new long[index.CompressedLengths.Length];
            long at = dataOffset;
            for (int i = 0; i < offsets.Length; i++) { offsets[i] = at; at += index.CompressedLengths[i]; }
            if (at + 8 == file.Length) return new ParallelGzipReadStream(file, index, offsets, at, threads);
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
        _currentLength = _index.ChunkLength(_taken);
        _current = chunk;
        _position = 0;
        _crc.Append(chunk.AsSpan(0, _currentLength));
        if (++_taken == _offsets.Length) CheckTrailer();
    }

    /// <summary>Reads chunk <paramref name="i"/>'s compressed bytes here (sequential file access) and inflates them on a task.</summary>
    private void Schedule(int i)
    {
        int compressedLength = (int)_index.CompressedLengths[i];
        var compressed = ArrayPool<byte>.Shared.Rent(compressedLength);
        _file.Position = _offsets[i];
        _file.ReadExactly(compressed, 0, compressedLength);
        int length = _index.ChunkLength(i);
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        _ahead.Enqueue(Task.Run(() => Inflate(compressed, compressedLength, output, length, i)));
    }

    private static (byte[] Output, byte[] Compressed) Inflate(byte[] compressed, int compressedLength, byte[] output, int length, int chunk)
    {
        using var inflate = new DeflateStream(new MemoryStream(compressed, 0, compressedLength), CompressionMode.Decompress);
        int got = inflate.ReadAtLeast(output.AsSpan(0, length), length, throwOnEndOfStream: false);
        if (got < length) throw new InvalidDataException($"gzip chunk {chunk} inflates to {got} of its {length} bytes");
        return (output, compressed);
    }

    private void CheckTrailer()
    {
        Span<byte> trailer = stackalloc byte[8];
        _file.Position = _trailerOffset;
        _file.ReadExactly(trailer);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer), size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != _crc.GetCurrentHashAsUInt32() || size != (uint)_index.TotalLength)
            throw new InvalidDataException(
                $"gzip trailer says CRC-32 {crc:x8} and {size:N0} bytes (mod 2^32); the data inflates to CRC-32 {_crc.GetCurrentHashAsUInt32():x8} and {(uint)_index.TotalLength:N0} bytes");
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
