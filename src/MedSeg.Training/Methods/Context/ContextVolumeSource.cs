using MedSeg.Core.ContextFeatures;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Nifti;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// The unlabelled volumes of a context / Doersch run: an imported dataset folder (dataset.json; with split.json its train
/// and val cases, never test) or any folder of .nii / .nii.gz files (or its imagesTr/). Read lazily, z-normalised, and kept
/// in a small first-in-first-out cache; thread-safe (batches are built on worker threads).
/// </summary>
public sealed class ContextVolumeSource
{
    private readonly string[] _paths;
    private readonly int _capacity;
    private readonly Dictionary<int, SamplingVolume> _cache = [];
    private readonly Queue<int> _order = new();
    private readonly Lock _gate = new();

    public ContextVolumeSource(IReadOnlyList<string> paths, int cacheCapacity = 32)
    {
        if (paths.Count == 0) throw new ArgumentException("The source holds no volumes.", nameof(paths));
        _paths = [.. paths];
        _capacity = Math.Max(1, cacheCapacity);
    }

    public int Count => _paths.Length;

    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Lists the volumes of <paramref name="folder"/>; names the folder when it has none.</summary>
    public static ContextVolumeSource Open(string folder, int cacheCapacity = 32)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Source: folder '{root}' does not exist.");
        List<string> paths;
        if (File.Exists(Path.Combine(root, "dataset.json")))
        {
            var list = MsdCaseList.Read(root);
            var cases = list.Split is null ? list.Cases : [.. list.InSplit("train"), .. list.InSplit("val")];
            paths = cases.Select(c => c.ImagePath).ToList();
        }
        else
        {
            var images = Directory.Exists(Path.Combine(root, "imagesTr")) ? Path.Combine(root, "imagesTr") : root;
            paths = Directory.EnumerateFiles(images)
                .Where(p => p.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
        }
        if (paths.Count == 0) throw new ArgumentException($"Source: folder '{root}' holds no .nii/.nii.gz volumes (nor a dataset.json listing some).");
        return new ContextVolumeSource(paths, cacheCapacity);
    }

    public SamplingVolume Get(int index)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(index, out var cached)) return cached;
        }
        var volume = SamplingVolume.ZNormalised(NiftiReader.Read(_paths[index]), Path.GetFileName(_paths[index]));
        lock (_gate)
        {
            if (_cache.TryAdd(index, volume))
            {
                _order.Enqueue(index);
                while (_order.Count > _capacity) _cache.Remove(_order.Dequeue());
            }
            return _cache[index];
        }
    }
}
