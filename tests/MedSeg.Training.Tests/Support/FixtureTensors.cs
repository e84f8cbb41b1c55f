using System.Text.Json;

namespace MedSeg.Training.Tests.Support;

/// <summary>
/// Minimal safetensors reader for the MONAI loss fixture (8-byte header length, JSON header, raw
/// little-endian data). Test-only until the `weights` branch's SafetensorsFile is merged.
/// </summary>
internal sealed class FixtureTensors
{
    private readonly Dictionary<string, (string Dtype, long[] Shape, byte[] Bytes)> _tensors = new();

    public FixtureTensors(string path)
    {
        var all = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(all, 0);
        using var header = JsonDocument.Parse(all.AsMemory(8, (int)headerLength));
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var bytes = all.AsSpan((int)(8 + headerLength + offsets[0]), (int)(offsets[1] - offsets[0])).ToArray();
            _tensors[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!,
                entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(), bytes);
        }
    }

    public long[] Shape(string name) => _tensors[name].Shape;

    public float[] Float32(string name) => Cast<float>(name, "F32");
    public long[] Int64(string name) => Cast<long>(name, "I64");
    public double[] Float64(string name) => Cast<double>(name, "F64");

    private T[] Cast<T>(string name, string dtype) where T : unmanaged
    {
        var t = _tensors[name];
        Assert.Equal(dtype, t.Dtype);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(t.Bytes).ToArray();
    }
}
