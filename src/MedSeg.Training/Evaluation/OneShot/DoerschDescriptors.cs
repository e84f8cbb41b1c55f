using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>192-d 3D Doersch descriptors (<see cref="DoerschNet"/>): the 25³ cube centred at each sampled voxel.</summary>
public sealed class DoerschDescriptors(DoerschNet net, string description, Device? device = null, int chunk = 64,
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
        int per = PatchOffsets.CubeSamples;
        for (long start = 0; start < n; start += chunk)
        {
            int count = (int)Math.Min(chunk, n - start);
            var cubes = new float[count * per];
            Parallel.For(0, count, j =>
            {
                var (x, y, z) = SampledVoxels.Voxel(volume, stride, start + j);
                PatchOffsets.Sample(volume, SamplingVolume.Normalise(x, volume.SizeX, alignCorners), SamplingVolume.Normalise(y, volume.SizeY, alignCorners),
                    SamplingVolume.Normalise(z, volume.SizeZ, alignCorners), PatchOffsets.Cube(), cubes.AsSpan(j * per, per), alignCorners);
            });
            using var scope = NewDisposeScope();
            var input = tensor(cubes, [count, 1, PatchOffsets.CubeWidth, PatchOffsets.CubeWidth, PatchOffsets.CubeWidth]).to(dev);
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
