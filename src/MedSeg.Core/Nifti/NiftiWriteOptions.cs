namespace MedSeg.Core.Nifti;

/// <summary>Settings for <see cref="NiftiWriter"/>.</summary>
public sealed class NiftiWriteOptions
{
    public static NiftiWriteOptions Default { get; } = new();

    /// <summary>Default <see cref="GzipLevel"/>: nibabel's default compresslevel (zlib level 1).</summary>
    public const int DefaultGzipLevel = 1;

    /// <summary>
    /// zlib-scale level (1–9) for ".nii.gz". libdeflate's level 1 writes files a few percent smaller than zlib's;
    /// without libdeflate, zlib-ng writes level 1 as level 2 (its level 1 is a third larger), see <c>Compression/DeflateCodec</c>.
    /// </summary>
    public int GzipLevel { get; init; } = DefaultGzipLevel;

    /// <summary>Chunks compressed at once for ".nii.gz" (default: the CPUs this process may use).</summary>
    public int CompressionThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Uncompressed bytes per gzip member of a ".nii.gz" (default <see cref="DefaultGzipChunkBytes"/>): one member per
    /// chunk, compressed on <see cref="CompressionThreads"/> threads and read back in parallel (as pigz --independent:
    /// one valid gzip file for gzip, nibabel and .NET). Browsers' DecompressionStream stops at a second member, so the
    /// portal serves such files to the viewer through <see cref="NiftiBrowserGzip"/>. 0 writes the whole file as one
    /// member (one thread, for a consumer that fetches the stored file itself). Capped to <see cref="MaxGzipChunkBytes"/>.
    /// </summary>
    public int GzipChunkBytes { get; init; } = DefaultGzipChunkBytes;

    /// <summary>
    /// Default <see cref="GzipChunkBytes"/>: 1 MiB, enough work per task for the thread pool, ≈ 0.3 % larger than one
    /// member at level 1 (libdeflate), and (threads + 1) × 2 MiB of buffers while writing.
    /// </summary>
    public const int DefaultGzipChunkBytes = 1 << 20;

    /// <summary>Largest chunk: a volume with more data bytes than this is written as several members whatever the setting.</summary>
    public const int MaxGzipChunkBytes = 1 << 30;

    /// <summary>The library compressing ".nii.gz" on this machine: "libdeflate" where libdeflate.so.0 is installed, else "zlib-ng".</summary>
    public static string GzipCodecName => Compression.DeflateCodec.Default.Name;

    /// <summary>sform_code written: 1 = scanner anatomical (default), 2 = aligned to another scan.</summary>
    public short SFormCode { get; init; } = 1;

    /// <summary>qform_code written when the affine is a rotation (no shear): 1 = scanner (default), 2 = aligned.</summary>
    public short QFormCode { get; init; } = 1;

    /// <summary>Free text stored in the header's 80-byte descrip field (truncated to 79 ASCII characters).</summary>
    public string Description { get; init; } = "MedSeg";
}
