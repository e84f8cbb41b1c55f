using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Weights;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length, a JSON header <c>{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}</c>,
/// then the raw little-endian tensor bytes. No pickle is involved, so loading an untrusted file cannot run code.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Reads all tensors (or those whose name passes <paramref name="include"/>) onto the CPU.</summary>
    public static SafetensorsContent Read(string path, Func<string, bool>? include = null)
    {
        EnsureLittleEndianHost();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var header = SafetensorsHeader.Read(stream, path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var entry in header.Entries)
            {
                if (include is null || include(entry.Name))
                    tensors[entry.Name] = ReadTensor(stream, header, entry);
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new SafetensorsContent(path, tensors, header.Metadata);
    }

    /// <summary>Reads one tensor by name.</summary>
    public static Tensor ReadTensor(string path, string name)
    {
        EnsureLittleEndianHost();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var header = SafetensorsHeader.Read(stream, path);
        return ReadTensor(stream, header, header[name]);
    }

    private static Tensor ReadTensor(Stream stream, SafetensorsHeader header, SafetensorsEntry entry)
    {
        var bytes = new byte[entry.ByteLength];
        stream.Seek(header.DataStart + entry.Begin, SeekOrigin.Begin);
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new SafetensorsFormatException(header.Path, $"truncated while reading tensor '{entry.Name}'.");
        }
        var tensor = empty(entry.Shape, entry.ScalarType, CPU);
        if (bytes.Length > 0) tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (in enumeration order) and <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically: a temporary file in the same directory is renamed over the target,
    /// so a failure never leaves a partial file behind.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        EnsureLittleEndianHost();
        var list = tensors.ToList();
        var duplicate = list.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Tensor name '{duplicate.Key}' appears twice.", nameof(tensors));
        if (list.Any(p => p.Key == SafetensorsHeader.MetadataKey))
            throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));

        string fullPath = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                WriteTo(stream, list, metadata);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void WriteTo(Stream stream, List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = BuildHeader(tensors, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BitConverter.TryWriteBytes(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            if (cpu.numel() > 0) stream.Write(cpu.bytes);
        }
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data section stays aligned.</summary>
    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                string dtype = SafetensorsDType.NameOf(tensor.dtype);
                long length = tensor.numel() * SafetensorsDType.ElementSize(tensor.dtype);
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long d in tensor.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors I/O here assumes a little-endian host.");
    }
}
