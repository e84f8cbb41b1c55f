using MedSeg.Core.IO;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>
/// The unlabelled volumes Volume Fusion draws from: a plain folder of NIfTI images, or an MSD / imported dataset
/// (its imagesTr and imagesTs; labels are never read), or volumes in memory (e.g. phantom cases). Volumes are read and
/// normalised on first use and kept in a small least-recently-used cache, so a large dataset does not fill memory.
/// Thread-safe; what a sample sees depends only on the file contents, never on the cache.
/// </summary>
public sealed class VolfSourceSet
{
    private readonly Func<int, VolfSourceVolume> _load;
    private readonly int _cacheSize;
    private readonly LinkedList<VolfSourceVolume> _recent = new();
    private readonly Dictionary<int, LinkedListNode<VolfSourceVolume>> _cached = [];
    private readonly Dictionary<string, int> _index = [];
    private readonly Lock _gate = new();

    private VolfSourceSet(IReadOnlyList<string> cases, Func<int, VolfSourceVolume> load, int cacheSize)
    {
        Cases = cases;
        _load = load;
        _cacheSize = Math.Max(1, cacheSize);
        for (int i = 0; i < cases.Count; i++) _index[cases[i]] = i;
    }

    /// <summary>Case names (paths relative to the source folder), sorted ordinally: the order samples index into.</summary>
    public IReadOnlyList<string> Cases { get; }

    public int Count => Cases.Count;

    public static VolfSourceSet FromFolder(string directory, VolfOptions options, int cacheSize = 8)
    {
        if (!Directory.Exists(directory)) throw new VolfSourceException($"source folder {directory}: does not exist");
        var root = Path.GetFullPath(directory);
        var msd = NiftiImageFolder.MsdImageFolders(root);
        var cases = NiftiImageFolder.List(root);
        if (cases.Length == 0)
            throw new VolfSourceException($"source folder {directory}: no NIfTI images (.nii or .nii.gz)" +
                                          (msd.Length > 0 ? $" in {string.Join(", ", msd)}" : ""));
        return new VolfSourceSet(cases, i => Read(root, cases[i], options), cacheSize);
    }

    /// <summary>Volumes already in memory (the phantom generator, tests); normalised lazily like files.</summary>
    public static VolfSourceSet FromVolumes(IReadOnlyList<(string Case, Volume Volume)> volumes, VolfOptions options, int cacheSize = 8)
    {
        if (volumes.Count == 0) throw new VolfSourceException("sources: no volumes given");
        var names = volumes.Select(v => v.Case).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new VolfSourceException("sources: case names must be unique");
        return new VolfSourceSet(names, i => VolfNormaliser.Normalise(volumes[i].Case, volumes[i].Volume, options), cacheSize);
    }

    /// <summary>Reads every case once, so an unreadable file is named before any sample is written.</summary>
    public void CheckAll()
    {
        for (int i = 0; i < Count; i++) Get(i);
    }

    public VolfSourceVolume Get(int index)
    {
        lock (_gate)
        {
            if (_cached.TryGetValue(index, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value;
            }
        }
        // Read outside the lock: two threads may read the same file at worst, never block each other on I/O.
        var volume = _load(index);
        lock (_gate)
        {
            if (_cached.TryGetValue(index, out var existing)) return existing.Value;
            _cached[index] = _recent.AddFirst(volume);
            while (_cached.Count > _cacheSize)
            {
                var last = _recent.Last!;
                _recent.RemoveLast();
                _cached.Remove(_index[last.Value.Case]);
            }
            return volume;
        }
    }

    private static VolfSourceVolume Read(string root, string relative, VolfOptions options)
    {
        Volume volume;
        try { volume = NiftiReader.Read(Path.Combine(root, relative)); }
        catch (Exception e) when (e is NiftiFormatException or IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new VolfSourceException($"source {relative}: unreadable ({e.Message})", e);
        }
        return VolfNormaliser.Normalise(relative, volume, options);
    }
}
