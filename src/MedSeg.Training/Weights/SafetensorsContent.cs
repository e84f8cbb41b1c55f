using static TorchSharp.torch;

namespace MedSeg.Training.Weights;

/// <summary>Tensors read from a safetensors file (in file order) plus its metadata; disposing frees the tensors.</summary>
public sealed class SafetensorsContent(
    string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata) : IDisposable
{
    public string Path { get; } = path;
    public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    public Tensor this[string name] => Tensors.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"Tensor '{name}' is not in safetensors file '{Path}'.");

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values) tensor.Dispose();
    }
}
