using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>An image with its (optional) label map of the same shape; random transforms move both together.</summary>
public sealed record SegmentationSample(Volume Image, Volume? Label)
{
    /// <summary>Voxel centre the patch was cut around (input voxels), when it came from a patch sampler.</summary>
    public int[]? Centre { get; init; }
}
