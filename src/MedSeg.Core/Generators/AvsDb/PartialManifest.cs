using System.Text.Json;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// <c>manifest.partial.jsonl</c>: one line per volume as it completes (in completion order; a resumed run appends the
/// volumes it finds again), so a dataset still being generated can be summarised live; <c>manifest.jsonl</c> replaces
/// it when the run completes. Lines are appended whole under a lock and flushed; a line torn by a crash is skipped when
/// read, and the next run starts on a fresh line.
/// </summary>
public sealed class PartialManifest : IDisposable
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();

    public PartialManifest(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            bool torn = stream.ReadByte() != '\n';
            stream.Seek(0, SeekOrigin.End);
            if (torn) stream.WriteByte((byte)'\n');
        }
        writer = new StreamWriter(stream) { NewLine = "\n" };
    }

    public void Append(VolumeManifest manifest)
    {
        var line = JsonSerializer.Serialize(manifest, AvsDbDatasetWriter.ManifestJsonOptions);
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose() => writer.Dispose();

    /// <summary>The volumes listed so far by index (the last line of a volume wins); empty when there is no file.</summary>
    public static IReadOnlyDictionary<int, VolumeManifest> Read(string path)
    {
        var volumes = new Dictionary<int, VolumeManifest>();
        if (!File.Exists(path)) return volumes;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<VolumeManifest>(line, AvsDbDatasetWriter.ManifestJsonOptions) is { } m) volumes[m.Index] = m;
            }
            catch (JsonException) { } // torn by a crash or still being written
        }
        return volumes;
    }
}
