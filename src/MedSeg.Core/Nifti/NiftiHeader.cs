using MedSeg.Core.Volumes;

namespace MedSeg.Core.Nifti;

/// <summary>
/// The fields of a NIfTI-1 header (348 bytes) that this library reads or writes, named as in nifti1.h.
/// Byte layout lives in <see cref="NiftiHeaderCodec"/>; geometry rules in <see cref="NiftiGeometry"/>.
/// </summary>
public sealed class NiftiHeader
{
    public const int Size = 348;

    /// <summary>First voxel byte for a single-file ".nii": header plus the 4-byte extension flag.</summary>
    public const int SingleFileVoxOffset = 352;

    /// <summary>True when the file stores numbers big-endian (detected from a byte-swapped sizeof_hdr).</summary>
    public bool IsBigEndian { get; set; }

    /// <summary>dim[0..7]: dim[0] is the number of dimensions, dim[1..] the sizes.</summary>
    public short[] Dim { get; set; } = [3, 1, 1, 1, 1, 1, 1, 1];

    /// <summary>NIfTI datatype code (see <see cref="VoxelType"/> for the ones supported).</summary>
    public short DataType { get; set; }

    public short BitPix { get; set; }

    /// <summary>pixdim[0] is qfac (±1), pixdim[1..3] voxel spacing.</summary>
    public float[] PixDim { get; set; } = [1, 1, 1, 1, 0, 0, 0, 0];

    public float VoxOffset { get; set; } = SingleFileVoxOffset;
    public float SclSlope { get; set; }
    public float SclInter { get; set; }
    public byte XyztUnits { get; set; }
    public float CalMax { get; set; }
    public float CalMin { get; set; }
    public string Descrip { get; set; } = "";
    public short QFormCode { get; set; }
    public short SFormCode { get; set; }
    public float QuaternB { get; set; }
    public float QuaternC { get; set; }
    public float QuaternD { get; set; }
    public float QOffsetX { get; set; }
    public float QOffsetY { get; set; }
    public float QOffsetZ { get; set; }
    public float[] SRowX { get; set; } = new float[4];
    public float[] SRowY { get; set; } = new float[4];
    public float[] SRowZ { get; set; } = new float[4];

    /// <summary>"n+1" for single-file NIfTI-1, "ni1" for a .hdr/.img pair.</summary>
    public string Magic { get; set; } = "n+1";

    public int SizeX => Dim[1];
    public int SizeY => Dim[2];
    public int SizeZ => Dim[3];

    /// <summary>dim[4] of a 4-D image (channels or time points), else 1.</summary>
    public int Channels => Dim[0] >= 4 && Dim[4] > 1 ? Dim[4] : 1;

    /// <summary>The datatype as a <see cref="VoxelType"/>, or null when this library cannot read it.</summary>
    public VoxelType? VoxelType =>
        Enum.IsDefined(typeof(VoxelType), DataType) ? (VoxelType)DataType : null;

    /// <summary>
    /// True when scl_slope/scl_inter change values: slope finite and nonzero, and not the identity (1, 0).
    /// A zero slope means "no scaling" in the NIfTI-1 standard.
    /// </summary>
    public bool HasScaling =>
        SclSlope != 0 && float.IsFinite(SclSlope) && float.IsFinite(SclInter) && !(SclSlope == 1 && SclInter == 0);

    /// <summary>Voxel-to-world affine chosen as nibabel does: sform, else qform, else pixdim diagonal.</summary>
    public double[] GetAffine() => NiftiGeometry.AffineOf(this);

    /// <summary>Which header fields <see cref="GetAffine"/> used.</summary>
    public NiftiAffineSource AffineSource => NiftiGeometry.SourceOf(this);

    /// <summary>Voxel spacing in mm: |pixdim[1..3]|, or the affine's column lengths where pixdim is unusable.</summary>
    public double[] GetSpacing() => NiftiGeometry.SpacingOf(this);
}

public enum NiftiAffineSource
{
    /// <summary>No usable orientation: diag(pixdim[1..3]).</summary>
    PixDim,
    QForm,
    SForm,
}
