using static TorchSharp.torch;

namespace MedSeg.Training.Methods;

/// <summary>
/// One batch on the device: <see cref="Images"/> [B, C, …] and, for segmentation-style methods, <see cref="Labels"/>
/// [B, 1, …] int64, both in the run's axis order; <see cref="Extras"/> holds the method's other arrays by name
/// (spatial ones converted to the axis order like the images, others as built).
/// </summary>
public sealed record BatchTensors(Tensor Images, Tensor? Labels, IReadOnlyDictionary<string, Tensor> Extras)
{
    public Tensor Extra(string name) => Extras.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"The batch has no array '{name}' (it has: {string.Join(", ", Extras.Keys)}).");
}
