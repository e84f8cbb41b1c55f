using System.Text.Json;
using TorchSharp;

namespace MedSeg.Training.Weights;

/// <summary>One tensor's header entry; offsets are relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, torch.ScalarType ScalarType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public long ByteLength => End - Begin;
}

/// <summary>
/// The parsed and validated header of a safetensors file: the tensor entries in file order, the
/// <c>__metadata__</c> string map, and where the data section starts.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Headers above this size are refused (the reference implementation uses the same bound).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    public required string Path { get; init; }
    public required IReadOnlyList<SafetensorsEntry> Entries { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Absolute file offset of the first data byte (8 + header length).</summary>
    public required long DataStart { get; init; }

    public IEnumerable<string> Names => Entries.Select(e => e.Name);

    public SafetensorsEntry this[string name] =>
        Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"Tensor '{name}' is not in safetensors file '{Path}'.");

    public bool Contains(string name) => Entries.Any(e => e.Name == name);

    /// <summary>Reads and validates the header of <paramref name="path"/> against the file's actual length.</summary>
    public static SafetensorsHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    internal static SafetensorsHeader Read(Stream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new SafetensorsFormatException(path, $"file is {fileLength} bytes, shorter than the 8-byte header length prefix.");

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BitConverter.ToUInt64(prefix);
        if (headerLength == 0 || headerLength > MaxHeaderBytes)
            throw new SafetensorsFormatException(path, $"header length {headerLength} is outside 1..{MaxHeaderBytes}.");
        if ((long)headerLength > fileLength - 8)
            throw new SafetensorsFormatException(path,
                $"truncated: header length {headerLength} exceeds the {fileLength - 8} bytes after the length prefix.");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException(path, $"header is not valid JSON ({ex.Message}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, $"header JSON is a {document.RootElement.ValueKind}, expected an object.");

            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafetensorsFormatException(path, $"header names '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                    ReadMetadata(property.Value, metadata, path);
                else
                    entries.Add(ReadEntry(property, path, dataLength));
            }
            CheckNoOverlap(entries, path);
            return new SafetensorsHeader { Path = path, Entries = entries, Metadata = metadata, DataStart = dataStart };
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, $"'{MetadataKey}' is a {element.ValueKind}, expected an object of strings.");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(path, $"'{MetadataKey}.{item.Name}' is a {item.Value.ValueKind}, expected a string.");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(JsonProperty property, string path, long dataLength)
    {
        string name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, $"tensor '{name}': entry is a {value.ValueKind}, expected an object.");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafetensorsFormatException(path, $"tensor '{name}': missing string field 'dtype'.");
        string dtype = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtype, out var scalarType, out int elementSize))
            throw new SafetensorsFormatException(path,
                $"tensor '{name}': dtype '{dtype}' is not supported (supported: {string.Join(", ", SafetensorsDType.SupportedNames)}).");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException(path, $"tensor '{name}': missing array field 'shape'.");
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
                throw new SafetensorsFormatException(path, $"tensor '{name}': shape[{i}] = {dim.GetRawText()} is not a non-negative integer.");
            shape[i++] = d;
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw new SafetensorsFormatException(path, $"tensor '{name}': 'data_offsets' must be an array of two integers.");
        if (begin < 0 || end < begin)
            throw new SafetensorsFormatException(path, $"tensor '{name}': data_offsets [{begin}, {end}] are not an ascending range.");

        var entry = new SafetensorsEntry(name, dtype, scalarType, shape, begin, end);
        long expected = checked(entry.ElementCount * elementSize);
        if (entry.ByteLength != expected)
            throw new SafetensorsFormatException(path,
                $"tensor '{name}': data_offsets span {entry.ByteLength} bytes but {dtype} shape [{string.Join(", ", shape)}] needs {expected}.");
        if (end > dataLength)
            throw new SafetensorsFormatException(path,
                $"truncated: tensor '{name}' ends at data byte {end} but the data section holds only {dataLength} bytes.");
        return entry;
    }

    private static void CheckNoOverlap(List<SafetensorsEntry> entries, string path)
    {
        SafetensorsEntry? previous = null;
        foreach (var entry in entries.Where(e => e.ByteLength > 0).OrderBy(e => e.Begin))
        {
            if (previous is not null && entry.Begin < previous.End)
                throw new SafetensorsFormatException(path, $"tensors '{previous.Name}' and '{entry.Name}' overlap in the data section.");
            previous = entry;
        }
    }
}
