using System.IO.Compression;

namespace MedSeg.Core.Nifti;

/// <summary>Opens NIfTI files: gzip when the name ends in ".gz" (as nibabel decides), plain otherwise.</summary>
internal static class NiftiFileStreams
{
    private const int FileBufferBytes = 1 << 16;

    public static bool IsGzipName(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    public static Stream OpenRead(string path)
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
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static Stream WrapForWrite(FileStream file, string path, CompressionLevel level) =>
        IsGzipName(path) ? new GZipStream(file, level, leaveOpen: true) : file;
}
