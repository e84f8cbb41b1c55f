using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Nifti;

/// <summary>
/// Moves voxel buffers between a stream and a typed array without an intermediate byte[] copy:
/// the stream reads straight into (and writes straight from) the array's own memory, viewed as bytes
/// in chunks (a byte span over the whole array could exceed int.MaxValue).
/// </summary>
internal static class VoxelStreamIO
{
    private const int ChunkBytes = 1 << 24;

    public static Array Read(Stream stream, VoxelType type, long count, bool swapBytes, string path) => type switch
    {
        VoxelType.UInt8 => Read<byte>(stream, count, swapBytes, path),
        VoxelType.Int8 => Read<sbyte>(stream, count, swapBytes, path),
        VoxelType.Int16 => Read<short>(stream, count, swapBytes, path),
        VoxelType.UInt16 => Read<ushort>(stream, count, swapBytes, path),
        VoxelType.Int32 => Read<int>(stream, count, swapBytes, path),
        VoxelType.Int64 => Read<long>(stream, count, swapBytes, path),
        VoxelType.Float32 => Read<float>(stream, count, swapBytes, path),
        VoxelType.Float64 => Read<double>(stream, count, swapBytes, path),
        _ => throw new NiftiFormatException(path, $"unsupported voxel type {type}"),
    };

    public static void Write(Stream stream, Array data)
    {
        switch (data)
        {
            case byte[] a: Write<byte>(stream, a); break;
            case sbyte[] a: Write<sbyte>(stream, a); break;
            case short[] a: Write<short>(stream, a); break;
            case ushort[] a: Write<ushort>(stream, a); break;
            case int[] a: Write<int>(stream, a); break;
            case long[] a: Write<long>(stream, a); break;
            case float[] a: Write<float>(stream, a); break;
            case double[] a: Write<double>(stream, a); break;
            default: throw new NotSupportedException($"Cannot write a {data.GetType().Name} buffer.");
        }
    }

    private static unsafe T[] Read<T>(Stream stream, long count, bool swapBytes, string path) where T : unmanaged
    {
        long totalBytes = count * sizeof(T);
        if (count > Array.MaxLength)
            throw new NiftiFormatException(path, $"{count:N0} voxels exceed the largest array .NET can hold ({Array.MaxLength:N0})");
        // Uninitialised: every byte is overwritten below or the method throws.
        var array = GC.AllocateUninitializedArray<T>((int)count);
        int chunk = ChunkBytes / sizeof(T);
        long done = 0;
        for (int start = 0; start < array.Length; start += chunk)
        {
            var bytes = MemoryMarshal.AsBytes(array.AsSpan(start, Math.Min(chunk, array.Length - start)));
            while (!bytes.IsEmpty)
            {
                int n = stream.Read(bytes);
                if (n == 0)
                    throw new NiftiFormatException(path, $"data ends after {done:N0} of {totalBytes:N0} bytes");
                done += n;
                bytes = bytes[n..];
            }
        }
        if (swapBytes) ReverseBytes<T>(array);
        return array;
    }

    private static unsafe void Write<T>(Stream stream, T[] array) where T : unmanaged
    {
        int chunk = ChunkBytes / sizeof(T);
        bool swap = !BitConverter.IsLittleEndian && sizeof(T) > 1; // files are written little-endian
        byte[]? scratch = swap ? ArrayPool<byte>.Shared.Rent(ChunkBytes) : null;
        try
        {
            for (int start = 0; start < array.Length; start += chunk)
            {
                var span = array.AsSpan(start, Math.Min(chunk, array.Length - start));
                if (scratch is null) { stream.Write(MemoryMarshal.AsBytes(span)); continue; }
                var copy = MemoryMarshal.Cast<byte, T>(scratch.AsSpan(0, span.Length * sizeof(T)));
                span.CopyTo(copy);
                ReverseBytes(copy);
                stream.Write(MemoryMarshal.AsBytes(copy));
            }
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Reverses the byte order of every element in place (floats through their integer bits).</summary>
    public static unsafe void ReverseBytes<T>(Span<T> values) where T : unmanaged
    {
        switch (sizeof(T))
        {
            case 2: { var s = MemoryMarshal.Cast<T, ushort>(values); BinaryPrimitives.ReverseEndianness(s, s); break; }
            case 4: { var s = MemoryMarshal.Cast<T, uint>(values); BinaryPrimitives.ReverseEndianness(s, s); break; }
            case 8: { var s = MemoryMarshal.Cast<T, ulong>(values); BinaryPrimitives.ReverseEndianness(s, s); break; }
        }
    }
}
