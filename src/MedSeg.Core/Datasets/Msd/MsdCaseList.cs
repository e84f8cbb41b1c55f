using System.Text.Json;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>One labelled case with absolute paths: image file(s), one per channel, and the label file.</summary>
public sealed record MsdCase(string Id, IReadOnlyList<string> ImagePaths, string LabelPath)
{
    /// <summary>The image of a single-channel case (the first channel otherwise).</summary>
    public string ImagePath => ImagePaths[0];
}

/// <summary>
/// A light reader of an imported dataset folder: dataset.json's cases (MSD "training" list or nnU-Net v2 labelsTr),
/// label names, and split.json when present — file names only, no volume is opened (unlike
/// <see cref="MsdDatasetValidator"/>), so it is cheap enough per web request. A broken dataset.json or split.json
/// throws <see cref="InvalidDataException"/> naming the file and field; missing image files are not checked here.
/// </summary>
public sealed class MsdCaseList
{
    private readonly Dictionary<string, MsdCase> _byId;

    private MsdCaseList(string root, DatasetLayout layout, IReadOnlyList<MsdCase> cases, IReadOnlyDictionary<int, string> labelNames, DatasetSplit? split)
    {
        Root = root;
        Layout = layout;
        Cases = cases;
        LabelNames = labelNames;
        Split = split;
        _byId = cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    public string Root { get; }
    public DatasetLayout Layout { get; }

    /// <summary>Every labelled case, in dataset.json order (MSD) or by label file name (nnU-Net v2).</summary>
    public IReadOnlyList<MsdCase> Cases { get; }

    /// <summary>Label value → name (background included).</summary>
    public IReadOnlyDictionary<int, string> LabelNames { get; }

    /// <summary>split.json, or null when the folder has none.</summary>
    public DatasetSplit? Split { get; }

    public MsdCase? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The cases of split.json's "train", "val" or "test" list, in that list's order.</summary>
    public IReadOnlyList<MsdCase> InSplit(string list)
    {
        var split = Split ?? throw new FileNotFoundException(
            $"Dataset folder '{Root}' has no {DatasetSplit.FileName}; import it with `medseg import msd SOURCE --out DIR --val F --test F`.",
            Path.Combine(Root, DatasetSplit.FileName));
        var ids = list switch
        {
            "train" => split.Train,
            "val" => split.Val,
            "test" => split.Test,
            _ => throw new ArgumentException($"Split list must be train, val or test, got '{list}'.", nameof(list)),
        };
        return ids.Select(id => Find(id)!).ToList(); // ids were checked against dataset.json when read
    }

    public static MsdCaseList Read(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Dataset folder '{root}' does not exist.");
        var jsonPath = Path.Combine(root, DatasetDescription.JsonName);
        var description = DatasetDescription.Read(root);
        // Only dataset.json's own structure matters here; problems of the data files are the validator's business.
        var broken = description.Problems.Where(p => p.File == DatasetDescription.JsonName).ToList();
        if (broken.Count > 0 || description.Layout is null)
            throw new InvalidDataException($"{jsonPath}: {string.Join("; ", broken.Select(p => p.Message))}");
        var cases = description.Cases
            .Select(c => new MsdCase(c.Id, c.Images.Select(i => Path.Combine(root, i)).ToList(), Path.Combine(root, c.Label)))
            .ToList();
        var list = new MsdCaseList(root, description.Layout.Value, cases, ReadLabelNames(jsonPath), null);
        var splitPath = Path.Combine(root, DatasetSplit.FileName);
        return File.Exists(splitPath)
            ? new MsdCaseList(root, list.Layout, cases, list.LabelNames, ReadSplit(splitPath, list))
            : list;
    }

    /// <summary>Label value → name from a dataset.json (MSD "1": "liver" or nnU-Net v2 "liver": 1).</summary>
    public static IReadOnlyDictionary<int, string> ReadLabelNames(string datasetJson)
    {
        var names = new Dictionary<int, string>();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(datasetJson), new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"{datasetJson}: not valid JSON ({e.Message})", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
                return names;
            foreach (var p in labels.EnumerateObject())
            {
                if (int.TryParse(p.Name, out int id) && p.Value.ValueKind == JsonValueKind.String) names[id] = p.Value.GetString()!;
                else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int v)) names[v] = p.Name;
            }
        }
        return names;
    }

    private static DatasetSplit ReadSplit(string path, MsdCaseList cases)
    {
        DatasetSplit split;
        try { split = DatasetSplit.FromJson(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid split ({e.Message})", e); }
        foreach (var (name, ids) in new[] { ("train", split.Train), ("val", split.Val), ("test", split.Test) })
        {
            if (ids is null) throw new InvalidDataException($"{path}: field \"{name}\" is missing (expected a list of case ids).");
            foreach (var id in ids)
                if (id is null || cases.Find(id) is null)
                    throw new InvalidDataException($"{path}: {name} lists case '{id}', which dataset.json does not have.");
        }
        return split;
    }
}
