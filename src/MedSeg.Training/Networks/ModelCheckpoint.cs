using MedSeg.Training.Layout;
using MedSeg.Training.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// A self-describing checkpoint: the model's state_dict as safetensors with metadata <c>model</c> = class name plus
/// its MONAI-style constructor arguments (the fixtures' layout), so <see cref="Load"/> can rebuild it without
/// knowing the architecture beforehand.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>Saves <paramref name="model"/>'s weights; <paramref name="extraMetadata"/> (e.g. epoch, dataset) is kept alongside.</summary>
    public static void Save(nn.Module model, string path, string modelName, IReadOnlyDictionary<string, string> arguments,
        IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var metadata = new Dictionary<string, string>(arguments) { [ModelFactory.ModelKey] = modelName };
        if (extraMetadata is not null)
        {
            foreach (var (key, value) in extraMetadata)
            {
                if (!metadata.TryAdd(key, value))
                    throw new ArgumentException($"Extra metadata key '{key}' collides with a model argument.", nameof(extraMetadata));
            }
        }
        StateDictLoader.Save(model, path, metadata);
    }

    /// <summary>
    /// The tensor axis order recorded under <see cref="AxisOrders.MetadataKey"/>, or null when the file records none
    /// (checkpoints from before the field, or weights converted from MONAI).
    /// </summary>
    public static AxisOrder? ReadAxisOrder(string path)
    {
        var metadata = SafetensorsHeader.Read(path).Metadata;
        if (!metadata.TryGetValue(AxisOrders.MetadataKey, out var text)) return null;
        try { return AxisOrders.Parse(text, $"checkpoint '{path}' metadata '{AxisOrders.MetadataKey}'"); }
        catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
    }

    /// <summary>
    /// Builds the model named in the checkpoint's metadata and loads its weights strictly.
    /// <paramref name="extraMetadataKeys"/> lists metadata entries that are not constructor arguments
    /// (<see cref="AxisOrders.MetadataKey"/> never is one).
    /// </summary>
    public static nn.Module<Tensor, Tensor> Load(string path, IReadOnlyCollection<string>? extraMetadataKeys = null)
    {
        var metadata = SafetensorsHeader.Read(path).Metadata;
        if (!metadata.TryGetValue(ModelFactory.ModelKey, out var name))
            throw new InvalidDataException($"Checkpoint '{path}' metadata has no '{ModelFactory.ModelKey}' entry naming the model class.");
        var arguments = ModelFactory.ArgumentsOf(metadata)
            .Where(p => p.Key != AxisOrders.MetadataKey && (extraMetadataKeys is null || !extraMetadataKeys.Contains(p.Key)))
            .ToDictionary(p => p.Key, p => p.Value);
        var model = ModelFactory.Create(name, arguments);
        try
        {
            StateDictLoader.LoadFile(model, path, strict: true);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
