namespace MedSeg.Core.Preprocessing;

/// <summary>How <see cref="Resampler"/> reads between voxel centres.</summary>
public enum Interpolation
{
    /// <summary>Trilinear (MONAI "bilinear" in 3D); output float32. For images.</summary>
    Trilinear,

    /// <summary>Nearest voxel centre (ties to even, as torch's grid_sample); keeps the voxel type. For label maps.</summary>
    Nearest,
}
