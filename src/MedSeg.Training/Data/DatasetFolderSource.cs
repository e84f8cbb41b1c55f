using System.Text.Json;
using MedSeg.Core.Nifti;

namespace MedSeg.Training.Data;

/// <summary>
/// Samples from a dataset folder with a Medical Segmentation Decathlon style dataset.json
/// ("labels": {"0": "background", ...}, "training": [{"image": "./imagesTr/..", "label": "./labelsTr/.."}],
/// optional "validation"). Volumes are read with <see cref="NiftiReader"/> when a batch needs them.
/// </summary>
public sealed class DatasetFolderSource : IVolumeSampleSource
{
    private readonly (string Image, string Label)[] _items;

    private DatasetFolderSource(string root, (string, string)[] items, int classCount, string part)
    {
        Root = root;
        _items = items;
        ClassCount = classCount;
        // Folder name only: the description goes to the run log, which every lab member sees.
        Description = $"dataset '{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)))}' ({part}, {items.Length} samples, {classCount} classes)";
    }

    public string Root { get; }
    public int Count => _items.Length;
    public int ClassCount { get; }
    public string Description { get; }

    public LabeledVolume Load(int index)
    {
        var (image, label) = _items[index];
        return new LabeledVolume(NiftiReader.Read(image), NiftiReader.Read(label), Path.GetFileName(image));
    }

    /// <summary>
    /// Opens the folder: training items (capped at <paramref name="maxTraining"/>) and validation items — the
    /// "validation" list when present, otherwise the last <paramref name="holdOut"/> training items (kept out of training).
    /// </summary>
    public static (DatasetFolderSource Train, DatasetFolderSource? Validation) Open(string folder, int maxTraining, int holdOut)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Dataset folder '{root}' does not exist.");
        var jsonPath = Path.Combine(root, "dataset.json");
        if (!File.Exists(jsonPath)) throw new FileNotFoundException($"Dataset folder '{root}' has no dataset.json.", jsonPath);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(jsonPath)); }
        catch (JsonException e) { throw new InvalidDataException($"'{jsonPath}' is not valid JSON: {e.Message}", e); }
        using (doc)
        {
            var r = doc.RootElement;
            if (!r.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"'{jsonPath}': field 'labels' (object of class index → name) is missing.");
            int classes = labels.EnumerateObject().Select(p => int.TryParse(p.Name, out var c) ? c
                : throw new InvalidDataException($"'{jsonPath}': label key '{p.Name}' is not a class index.")).Max() + 1;
            var training = Items(r, "training", root, jsonPath, required: true);
            var validation = Items(r, "validation", root, jsonPath, required: false);
            if (validation.Length == 0 && holdOut > 0 && training.Length > holdOut)
            {
                validation = training[^holdOut..];
                training = training[..^holdOut];
            }
            if (training.Length > maxTraining) training = training[..maxTraining];
            return (new DatasetFolderSource(root, training, classes, "training"),
                validation.Length == 0 ? null : new DatasetFolderSource(root, validation, classes, "validation"));
        }
    }

    private static (string, string)[] Items(JsonElement r, string field, string root, string jsonPath, bool required)
    {
        if (!r.TryGetProperty(field, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            if (required) throw new InvalidDataException($"'{jsonPath}': field '{field}' (array of image/label pairs) is missing.");
            return [];
        }
        var items = new List<(string, string)>();
        int i = 0;
        foreach (var e in list.EnumerateArray())
        {
            string image = Resolve(e, "image", i), label = Resolve(e, "label", i);
            items.Add((image, label));
            i++;
        }
        if (required && items.Count == 0) throw new InvalidDataException($"'{jsonPath}': field '{field}' is empty.");
        return items.ToArray();

        string Resolve(JsonElement e, string key, int index)
        {
            if (!e.TryGetProperty(key, out var p) || p.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"'{jsonPath}': {field}[{index}] has no '{key}' path.");
            var path = Path.GetFullPath(Path.Combine(root, p.GetString()!));
            if (!File.Exists(path)) throw new FileNotFoundException($"'{jsonPath}': {field}[{index}].{key} '{path}' does not exist.", path);
            return path;
        }
    }
}
