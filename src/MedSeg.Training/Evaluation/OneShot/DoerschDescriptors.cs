using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>192-d 3D Doersch descriptors (<see cref="DoerschNet"/>): the 25³ cube centred at each sampled voxel.</summary>
public sealed class DoerschDescriptors(DoerschNet net, string description, Device? device = null, int chunk = 64,
    bool alignCorners = true, bool ownsNet = true) : IDescriptorSource
{
    public string Description { get; } = description;

    public Tensor Describe(SamplingVolume volume, int stride) =>
        ChunkedPatchDescriptors.Describe(net, volume, stride, chunk, device, alignCorners, PatchOffsets.CubeSamples,
            [1, PatchOffsets.CubeWidth, PatchOffsets.CubeWidth, PatchOffsets.CubeWidth],
            (cx, cy, cz, cube) => PatchOffsets.Sample(volume, cx, cy, cz, PatchOffsets.Cube(), cube, alignCorners));

    public void Dispose()
    {
        if (ownsNet) net.Dispose();
    }
}
