using System.Buffers.Binary;
using System.IO.Hashing;

namespace MedSeg.Core.Compression;

/// <summary>
/// Read-only stream producing ONE gzip member whose deflate data is stored (uncompressed) blocks of at most 65,535
/// bytes, over an uncompressed source of known length: what browsers' DecompressionStream('gzip') accepts (it refuses
/// a second member) without compressing again. Costs 5 bytes per block (0.008 %) over the raw data; the CRC-32 is
/// computed as the data passes. The source must deliver exactly the announced length (else <see cref="InvalidDataException"/>).
/// </summary>
internal sealed class StoredGzipStream : Stream
{
    public const int MaxBlockBytes = ushort.MaxValue;
    private const int BlockHeaderBytes = 5;

    private readonly Stream _source;
    private readonly long _total;
    private readonly Crc32 _crc = new();
    // Room for the gzip header, one block (header + data) and the trailer.
    private readonly byte[] _buffer = new byte[10 + BlockHeaderBytes + MaxBlockBytes + GzipChunkIndex.TrailerBytes];
    private int _start, _end;
    private long _remaining, _served;
    private bool _started, _finished;

    /// <param name="source">the uncompressed bytes; owned (disposed) by this stream.</param>
    /// <param name="totalLength">bytes the source holds.</param>
    public StoredGzipStream(Stream source, long totalLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        _source = source;
        _total = _remaining = totalLength;
    }

    /// <summary>Bytes of the gzip member for <paramref name="totalLength"/> uncompressed bytes.</summary>
    public static long LengthFor(long totalLength) =>
        10 + BlockHeaderBytes * Math.Max(1, (totalLength + MaxBlockBytes - 1) / MaxBlockBytes) + totalLength + GzipChunkIndex.TrailerBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => LengthFor(_total);
    public override long Position { get => _served; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            if (_finished) return 0;
            NextBlock();
        }
        int n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        _served += n;
        return n;
    }

    /// <summary>Fills the buffer with the next block (after the gzip header for the first, before the trailer for the last).</summary>
    private void NextBlock()
    {
        int at = 0;
        if (!_started)
        {
            GzipChunkIndex.PlainHeader.CopyTo(_buffer);
            at = 10;
            _started = true;
        }
        int length = (int)Math.Min(_remaining, MaxBlockBytes);
        bool last = length == _remaining;
        _buffer[at] = last ? (byte)1 : (byte)0; // BFINAL, BTYPE 00 (stored)
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(at + 1), (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(at + 3), (ushort)~length);
        at += BlockHeaderBytes;
        int got = _source.ReadAtLeast(_buffer.AsSpan(at, length), length, throwOnEndOfStream: false);
        if (got < length)
            throw new InvalidDataException($"the source ends after {_total - _remaining + got:N0} of the {_total:N0} bytes announced");
        _crc.Append(_buffer.AsSpan(at, length));
        at += length;
        _remaining -= length;
        if (last)
        {
            if (_source.ReadAtLeast(_buffer.AsSpan(at, 1), 1, throwOnEndOfStream: false) > 0)
                throw new InvalidDataException($"the source holds more than the {_total:N0} bytes announced");
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(at), _crc.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(at + 4), (uint)_total); // ISIZE: length mod 2^32
            at += GzipChunkIndex.TrailerBytes;
            _finished = true;
        }
        _start = 0;
        _end = at;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _source.Dispose();
        base.Dispose(disposing);
    }
}
