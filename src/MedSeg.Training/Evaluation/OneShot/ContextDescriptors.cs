using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// 192-d 2.5D context descriptors (<see cref="ContextDescriptorNet"/>): at each sampled voxel the three 3×42×42 patches
/// centred there (as in training), through the three D2D-CNNs. Patches are sampled on the CPU in parallel, the network
/// runs in chunks.
/// </summary>
public sealed class ContextDescriptors(ContextDescriptorNet net, string description, Device? device = null, int chunk = 256,
    bool alignCorners = true, bool ownsNet = true) : IDescriptorSource
{
    public string Description { get; } = description;

    public Tensor Describe(SamplingVolume volume, int stride)
    {
        long n = SampledVoxels.Shape(volume, stride).Aggregate(1L, (a, b) => a * b);
        var dev = device ?? CPU;
        net.eval();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        int per = PatchOffsets.PlaneSamples;
        for (long start = 0; start < n; start += chunk)
        {
            int count = (int)Math.Min(chunk, n - start);
            var patches = new float[count * ContextDescriptorNet.Axes * per];
            Parallel.For(0, count, j =>
            {
                var (x, y, z) = SampledVoxels.Voxel(volume, stride, start + j);
                double cx = SamplingVolume.Normalise(x, volume.SizeX, alignCorners);
                double cy = SamplingVolume.Normalise(y, volume.SizeY, alignCorners);
                double cz = SamplingVolume.Normalise(z, volume.SizeZ, alignCorners);
                for (int axis = 0; axis < ContextDescriptorNet.Axes; axis++)
                    PatchOffsets.Sample(volume, cx, cy, cz, PatchOffsets.Plane(axis),
                        patches.AsSpan((j * ContextDescriptorNet.Axes + axis) * per, per), alignCorners);
            });
            using var scope = NewDisposeScope();
            var input = tensor(patches, [count, ContextDescriptorNet.Axes * PatchOffsets.Planes, PatchOffsets.PlaneWidth, PatchOffsets.PlaneWidth]).to(dev);
            parts.Add(net.call(input).reshape(count, -1).cpu().MoveToOuterDisposeScope());
        }
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }

    public void Dispose()
    {
        if (ownsNet) net.Dispose();
    }
}
