using MedSeg.Core.ContextFeatures;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// The extraction loop the patch-based descriptor sources share: the sampled voxels in chunks, each chunk's patches
/// sampled on the CPU in parallel (<paramref name="samplePatch"/> fills one voxel's values at normalised centre
/// coordinates), then one network call per chunk; rows in <see cref="SampledVoxels"/> order.
/// </summary>
internal static class ChunkedPatchDescriptors
{
    public delegate void SamplePatch(double cx, double cy, double cz, Span<float> values);

    public static Tensor Describe(nn.Module<Tensor, Tensor> net, SamplingVolume volume, int stride, int chunk, Device? device,
        bool alignCorners, int valuesPerVoxel, long[] inputShapePerVoxel, SamplePatch samplePatch)
    {
        long n = SampledVoxels.Shape(volume, stride).Aggregate(1L, (a, b) => a * b);
        var dev = device ?? CPU;
        net.eval();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            int count = (int)Math.Min(chunk, n - start);
            var values = new float[count * valuesPerVoxel];
            Parallel.For(0, count, j =>
            {
                var (x, y, z) = SampledVoxels.Voxel(volume, stride, start + j);
                samplePatch(SamplingVolume.Normalise(x, volume.SizeX, alignCorners), SamplingVolume.Normalise(y, volume.SizeY, alignCorners),
                    SamplingVolume.Normalise(z, volume.SizeZ, alignCorners), values.AsSpan(j * valuesPerVoxel, valuesPerVoxel));
            });
            using var scope = NewDisposeScope();
            var input = tensor(values, [count, .. inputShapePerVoxel]).to(dev);
            parts.Add(net.call(input).reshape(count, -1).cpu().MoveToOuterDisposeScope());
        }
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
