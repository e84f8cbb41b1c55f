using TorchSharp;

namespace MedSeg.Training.Weights;

/// <summary>
/// The safetensors dtype names (F32, BF16, ...) and their TorchSharp scalar types and element sizes.
/// </summary>
public static class SafetensorsDType
{
    private static readonly (string Name, torch.ScalarType Type, int Size)[] Table =
    [
        ("F64", torch.ScalarType.Float64, 8),
        ("F32", torch.ScalarType.Float32, 4),
        ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2),
        ("I64", torch.ScalarType.Int64, 8),
        ("I32", torch.ScalarType.Int32, 4),
        ("I16", torch.ScalarType.Int16, 2),
        ("I8", torch.ScalarType.Int8, 1),
        ("U8", torch.ScalarType.Byte, 1),
        ("BOOL", torch.ScalarType.Bool, 1),
    ];

    /// <summary>The dtype names this reader and writer support.</summary>
    public static IEnumerable<string> SupportedNames => Table.Select(t => t.Name);

    public static bool TryParse(string name, out torch.ScalarType type, out int elementSize)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == name)
            {
                type = entry.Type;
                elementSize = entry.Size;
                return true;
            }
        }
        type = default;
        elementSize = 0;
        return false;
    }

    /// <summary>The safetensors name of <paramref name="type"/>; throws for types safetensors cannot hold here.</summary>
    public static string NameOf(torch.ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type) return entry.Name;
        }
        throw new NotSupportedException(
            $"Tensor dtype {type} cannot be written to safetensors; supported: {string.Join(", ", SupportedNames)}.");
    }

    public static int ElementSize(torch.ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type) return entry.Size;
        }
        throw new NotSupportedException($"Tensor dtype {type} is not supported by the safetensors reader/writer.");
    }
}
