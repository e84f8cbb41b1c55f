namespace MedSeg.Training.Weights;

/// <summary>A safetensors file is truncated or its header is malformed; the message names the file.</summary>
public sealed class SafetensorsFormatException(string path, string problem)
    : Exception($"Invalid safetensors file '{path}': {problem}")
{
    public string FilePath { get; } = path;
}
