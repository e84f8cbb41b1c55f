namespace MedSeg.Training.Methods;

/// <summary>
/// The segmentation network a method's run exports as model.safetensors, as a downstream fine-tune rebuilds it (with its
/// own class count): the network name, feature size, the user's constructor arguments and the crop edge the run trained on.
/// </summary>
public sealed record PretrainedBackbone(string Model, int FeatureSize, IReadOnlyDictionary<string, string> ModelArgs, int Crop);
