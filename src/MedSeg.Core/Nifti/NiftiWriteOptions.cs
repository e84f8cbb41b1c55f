using System.IO.Compression;

namespace MedSeg.Core.Nifti;

/// <summary>Settings for <see cref="NiftiWriter"/>.</summary>
public sealed class NiftiWriteOptions
{
    public static NiftiWriteOptions Default { get; } = new();

    /// <summary>
    /// gzip level for ".nii.gz". Default Fastest: synthetic label volumes are mostly runs of zeros and
    /// compress almost as well at level 1 as at level 6, several times faster.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>sform_code written: 1 = scanner anatomical (default), 2 = aligned to another scan.</summary>
    public short SFormCode { get; init; } = 1;

    /// <summary>qform_code written when the affine is a rotation (no shear): 1 = scanner (default), 2 = aligned.</summary>
    public short QFormCode { get; init; } = 1;

    /// <summary>Free text stored in the header's 80-byte descrip field (truncated to 79 ASCII characters).</summary>
    public string Description { get; init; } = "MedSeg";
}
