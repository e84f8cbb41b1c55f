using MedSeg.Training.Inference;
using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Nets.Context;
using MedSeg.Training.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// The descriptor source of a run folder or model file (its self-describing <c>model.safetensors</c>): 2.5D context
/// (<see cref="ContextDescriptorNet"/>), 3D Doersch (<see cref="DoerschNet"/>), or any other network as a pretrained
/// encoder through <see cref="FeatureMapDescriptors"/>.
/// </summary>
public static class DescriptorSources
{
    /// <summary>The feature map taken from an encoder when none is named: the decoder's features before the output convolution.</summary>
    public static string DefaultFeatures(string model) => model.ToUpperInvariant() switch
    {
        "SWINUNETR" or "UNETR" => "input:out",
        "BASICUNET" => "input:final_conv",
        _ => "output",
    };

    public static IDescriptorSource FromRun(string runOrModel, string? features = null, Device? device = null)
    {
        var path = CheckpointLocator.Resolve(runOrModel);
        var metadata = SafetensorsHeader.Read(path).Metadata;
        if (!metadata.TryGetValue(ModelFactory.ModelKey, out var name))
            throw new InvalidDataException($"'{path}' names no model class in its metadata.");
        var model = ModelCheckpoint.Load(path, ExtraKeys(metadata));
        try
        {
            model.to(device ?? CPU);
            return model switch
            {
                ContextDescriptorNet context => new ContextDescriptors(context, $"2.5D context, {ContextDescriptorNet.DescriptorLength}-d", device),
                DoerschNet doersch => new DoerschDescriptors(doersch, $"3D Doersch, {DoerschNet.DescriptorLength}-d", device),
                _ => Encoder(model, name, features, path, device),
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static IDescriptorSource Encoder(nn.Module<Tensor, Tensor> model, string name, string? features, string path, Device? device)
    {
        var text = features ?? DefaultFeatures(name);
        var order = ModelCheckpoint.ReadAxisOrder(path) ?? Layout.AxisOrder.Zyx;
        return new FeatureMapDescriptors(model, FeatureSource.Parse(text), $"{name} encoder ({text})", order, device);
    }

    /// <summary>Metadata entries that are not constructor arguments (written by trainers beside the model's own).</summary>
    private static IReadOnlyCollection<string> ExtraKeys(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Keys.Where(k => k is "task" or "method" || Checkpoints.CheckpointStore.ExtraMetadataKeys.Contains(k)).ToList();
}
