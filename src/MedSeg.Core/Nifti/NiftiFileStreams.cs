using MedSeg.Core.Compression;

namespace MedSeg.Core.Nifti;

/// <summary>
/// Opens NIfTI files: gzip when the name ends in ".gz" (as nibabel decides), plain otherwise. gzip is written by
/// <see cref="ParallelGzipWriteStream"/>, one member per chunk compressed in parallel by default
/// (<see cref="NiftiWriteOptions.GzipChunkBytes"/>; browsers get them through <see cref="NiftiBrowserGzip"/>), and read
/// in one libdeflate call per indexed member (in parallel) for whole-volume reads, sequentially otherwise.
/// </summary>
internal static class NiftiFileStreams
{
    private const int FileBufferBytes = 1 << 16;

    public static bool IsGzipName(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <param name="parallel">Inflate indexed files on several threads (whole-volume reads); false for a header.</param>
    public static Stream OpenRead(string path, bool parallel = false)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes, FileOptions.SequentialScan);
        if (!IsGzipName(path)) return file;
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            if (got < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
                throw new NiftiFormatException(path, got < 2
                    ? $"file is {got} bytes long, too short for gzip data"
                    : $"name ends in .gz but the file is not gzip data (starts with 0x{magic[0]:X2} 0x{magic[1]:X2})");
            file.Position = 0;
            return ParallelGzipReadStream.Open(file, parallel ? Environment.ProcessorCount : 0);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <param name="length">bytes the caller will write (sizes the chunk index).</param>
    public static Stream WrapForWrite(FileStream file, string path, NiftiWriteOptions options, long length) =>
        IsGzipName(path) ? new ParallelGzipWriteStream(file, options.GzipLevel, length, options.CompressionThreads, ChunkBytes(options, length)) : file;

    /// <summary>The options' chunk size; 0 = the whole file as one chunk (one gzip member).</summary>
    internal static int ChunkBytes(NiftiWriteOptions options, long length) =>
        options.GzipChunkBytes > 0 ? Math.Clamp(options.GzipChunkBytes, 1 << 12, NiftiWriteOptions.MaxGzipChunkBytes)
        : length > 0 ? (int)Math.Clamp(length, 1 << 12, NiftiWriteOptions.MaxGzipChunkBytes)
        : ParallelGzipWriteStream.DefaultChunkBytes;
}
