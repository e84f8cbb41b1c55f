using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Web.Features.Datasets;

/// <summary>One row of the detail page's manifest table (kept small: full manifests stay on disk).</summary>
public sealed record VolumeRow(int Index, int ShapesPlaced, int ShapesDropped, long LabelledVoxels, long ImageBytes, long LabelBytes);

/// <summary>Placed shapes and their voxels per class, summed over the manifest.</summary>
public sealed record ClassBar(int ClassId, string ClassName, int Shapes, long Voxels);

/// <summary>
/// What the detail page shows about a dataset's files. <paramref name="HasManifest"/>: shape details are known for some
/// volumes; <paramref name="IsPartial"/>: they come from the manifest of a run still generating (or interrupted), so they
/// cover the complete volumes listed so far.
/// </summary>
public sealed record DatasetContentsSummary(IReadOnlyList<VolumeRow> Volumes, IReadOnlyList<ClassBar> Classes, bool HasManifest, bool IsPartial = false);

/// <summary>
/// Reads an AVS-DB folder's manifest.jsonl (written when a run completes; before that manifest.partial.jsonl, the
/// volumes finished so far) and the complete volumes on disk.
/// A big dataset's manifest is tens of MB, so summaries are kept per folder until the manifest or the volume count changes.
/// </summary>
public sealed class DatasetContents
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Stamp, DatasetContentsSummary Summary)> cache = new();

    public DatasetContentsSummary Read(string directory, IDatasetWriter writer, string specJson)
    {
        var complete = writer.ListCompleteVolumes(directory);
        var layout = new AvsDbLayout(directory);
        var stamp = $"{complete.Count}|{Stamp(layout.Manifest)}|{Stamp(layout.PartialManifest)}";
        if (cache.TryGetValue(directory, out var hit) && hit.Stamp == stamp) return hit.Summary;
        var summary = Summarise(directory, complete, writer, specJson);
        cache[directory] = (stamp, summary);
        return summary;
    }

    private static DatasetContentsSummary Summarise(string directory, IReadOnlyList<DatasetVolumeFiles> complete, IDatasetWriter writer, string specJson)
    {
        var layout = new AvsDbLayout(directory);
        var partial = !File.Exists(layout.Manifest);
        var done = complete.Select(v => v.Index).ToHashSet();
        var manifests = partial
            ? PartialManifest.Read(layout.PartialManifest).Where(m => done.Contains(m.Key)).ToDictionary()
            : AvsDbDatasetWriter.ReadManifest(layout.Manifest).ToDictionary(m => m.Index);

        var rows = complete.Select(v =>
        {
            manifests.TryGetValue(v.Index, out var m);
            return new VolumeRow(v.Index, m?.ShapesPlaced ?? 0, m?.ShapesDropped ?? 0,
                m?.Shapes.Where(s => !s.Dropped).Sum(s => s.VoxelCount) ?? 0,
                new FileInfo(v.ImagePath).Length, new FileInfo(v.LabelPath).Length);
        }).ToList();

        var names = writer.ClassNames(specJson);
        var shapes = manifests.Values.SelectMany(m => m.Shapes).Where(s => !s.Dropped).ToList();
        var classes = Enumerable.Range(1, Math.Max(0, names.Count - 1)).Select(id =>
        {
            var ofClass = shapes.Where(s => s.ClassId == id).ToList();
            return new ClassBar(id, names[id], ofClass.Count, ofClass.Sum(s => s.VoxelCount));
        }).ToList();
        return new DatasetContentsSummary(rows, classes, manifests.Count > 0, partial && manifests.Count > 0);
    }

    private static string Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.Length}@{file.LastWriteTimeUtc.Ticks}" : "none";
    }
}
