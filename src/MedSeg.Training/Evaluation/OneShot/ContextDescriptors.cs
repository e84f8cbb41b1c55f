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
        int per = PatchOffsets.PlaneSamples;
        return ChunkedPatchDescriptors.Describe(net, volume, stride, chunk, device, alignCorners, ContextDescriptorNet.Axes * per,
            [ContextDescriptorNet.Axes * PatchOffsets.Planes, PatchOffsets.PlaneWidth, PatchOffsets.PlaneWidth],
            (cx, cy, cz, patches) =>
            {
                for (int axis = 0; axis < ContextDescriptorNet.Axes; axis++)
                    PatchOffsets.Sample(volume, cx, cy, cz, PatchOffsets.Plane(axis), patches.Slice(axis * per, per), alignCorners);
            });
    }

    public void Dispose()
    {
        if (ownsNet) net.Dispose();
    }
}
