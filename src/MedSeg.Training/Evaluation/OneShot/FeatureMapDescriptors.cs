using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Layout;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// Descriptors of any pretrained network (FDSL, VolF, LWI, Swin SSL, …) through <see cref="ModuleFeatureExtractor"/>:
/// the chosen feature map over the whole volume, trilinearly upsampled to it, read at the sampled voxels. The network
/// sees the volume in its recorded <see cref="AxisOrder"/>.
/// </summary>
public sealed class FeatureMapDescriptors(nn.Module<Tensor, Tensor> model, FeatureSource source, string description,
    AxisOrder axisOrder = AxisOrder.Zyx, Device? device = null) : IDescriptorSource
{
    private readonly Func<Tensor, Tensor> _extract = ModuleFeatureExtractor.Create(model, source);

    public string Description { get; } = description;

    public Tensor Describe(SamplingVolume volume, int stride)
    {
        using var scope = NewDisposeScope();
        var image = TensorLayout.FromBuffer(volume.Data, [volume.SizeZ, volume.SizeY, volume.SizeX], axisOrder)
            .unsqueeze(0).unsqueeze(0).to(device ?? CPU);
        var features = TensorLayout.ToBufferOrder(_extract(image), axisOrder)[0];               // [F, Z, Y, X]
        var sampled = features.index(TensorIndex.Colon, TensorIndex.Slice(0, null, stride), TensorIndex.Slice(0, null, stride),
            TensorIndex.Slice(0, null, stride));
        return sampled.reshape(sampled.shape[0], -1).t().contiguous().to(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }

    public void Dispose() => model.Dispose();
}
