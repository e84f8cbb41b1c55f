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

    /// <summary>The library compressing ".nii.gz" on this machine: "libdeflate" where libdeflate.so.0 is installed, else "zlib-ng".</summary>
    public static string GzipCodecName => Compression.DeflateCodec.Default.Name;

    /// <summary>sform_code written: 1 = scanner anatomical (default), 2 = aligned to another scan.</summary>
    public short SFormCode { get; init; } = 1;

    /// <summary>qform_code written when the affine is a rotation (no shear): 1 = scanner (default), 2 = aligned.</summary>
    public short QFormCode { get; init; } = 1;

    /// <summary>Free text stored in the header's 80-byte descrip field (truncated to 79 ASCII characters).</summary>
    public string Description { get; init; } = "MedSeg";
}
