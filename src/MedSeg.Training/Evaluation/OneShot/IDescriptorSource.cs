using MedSeg.Core.ContextFeatures;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>Anything that turns a volume into descriptors at a regular subset of its voxels.</summary>
public interface IDescriptorSource : IDisposable
{
    /// <summary>What the descriptors are, for reports (e.g. "2.5D context (HEATMAP), 192-d").</summary>
    string Description { get; }

    /// <summary>
    /// Raw descriptors [n, F] (float32, CPU) at the voxels whose (z, y, x) indices are multiples of
    /// <paramref name="stride"/>, z slowest, x fastest: n = ⌈Z/s⌉·⌈Y/s⌉·⌈X/s⌉.
    /// </summary>
    Tensor Describe(SamplingVolume volume, int stride);
}

/// <summary>Shared geometry of the sampled voxels.</summary>
public static class SampledVoxels
{
    /// <summary>Samples per axis (Z, Y, X) at <paramref name="stride"/>.</summary>
    public static long[] Shape(SamplingVolume v, int stride) =>
        [Count(v.SizeZ, stride), Count(v.SizeY, stride), Count(v.SizeX, stride)];

    public static long Count(int size, int stride) => (size + stride - 1) / stride;

    /// <summary>The voxel indices (x, y, z) of sample <paramref name="i"/> (z slowest, x fastest).</summary>
    public static (int X, int Y, int Z) Voxel(SamplingVolume v, int stride, long i)
    {
        long nx = Count(v.SizeX, stride), ny = Count(v.SizeY, stride);
        return ((int)(i % nx) * stride, (int)(i / nx % ny) * stride, (int)(i / (nx * ny)) * stride);
    }
}
