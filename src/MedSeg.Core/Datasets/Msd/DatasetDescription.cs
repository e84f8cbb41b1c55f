using System.Text.Json;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// What a dataset folder's dataset.json says (plus, for nnU-Net v2, which cases its folders hold),
/// with every structural problem collected rather than thrown.
/// </summary>
internal sealed class DatasetDescription
{
    public const string JsonName = "dataset.json";

    public DatasetLayout? Layout { get; private set; }
    public List<DatasetCase> Cases { get; } = [];
    public List<string> TestImages { get; } = [];
    public SortedSet<int> LabelValues { get; } = [];
    public List<DatasetProblem> Problems { get; } = [];

    public static DatasetDescription Read(string root)
    {
        var d = new DatasetDescription();
        string path = Path.Combine(root, JsonName);
        if (!File.Exists(path))
        {
            d.Problems.Add(new(JsonName, "missing (expected dataset.json at the top of the dataset folder)"));
            return d;
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { d.Problems.Add(new(JsonName, $"not valid JSON ({e.Message})")); return d; }
        using (doc)
        {
            var json = doc.RootElement;
            if (json.ValueKind != JsonValueKind.Object) { d.Problems.Add(new(JsonName, "top level must be a JSON object")); return d; }
            // An explicit MSD "training" list wins: the phantom writer emits it plus nnU-Net's channel_names / file_ending.
            if (json.TryGetProperty("training", out var list) && list.ValueKind == JsonValueKind.Array) d.ReadMsd(json, root);
            else if (json.TryGetProperty("channel_names", out _) || json.TryGetProperty("file_ending", out _)) d.ReadNnUnet(json, root);
            else if (json.TryGetProperty("training", out _)) d.ReadMsd(json, root);
            else d.Problems.Add(new(JsonName, "neither MSD style (no \"training\") nor nnU-Net v2 style (no \"channel_names\" / \"file_ending\")"));
        }
        return d;
    }

    private void ReadMsd(JsonElement json, string root)
    {
        Layout = DatasetLayout.Msd;
        if (TryObject(json, "labels", out var labels))
            foreach (var p in labels.EnumerateObject())
            {
                if (int.TryParse(p.Name, out int id)) LabelValues.Add(id);
                else Problems.Add(new(JsonName, $"labels: key \"{p.Name}\" is not an integer label id (MSD style maps id → name)"));
            }

        var training = json.GetProperty("training");
        if (training.ValueKind != JsonValueKind.Array) { Problems.Add(new(JsonName, "training must be an array of {\"image\", \"label\"}")); return; }
        int index = 0;
        var ids = new HashSet<string>();
        foreach (var entry in training.EnumerateArray())
        {
            string where = $"training[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                Problems.Add(new(JsonName, $"{where} must be an object with \"image\" and \"label\""));
                continue;
            }
            bool hasImage = TryRelativePath(entry, "image", where, out string? image);
            bool hasLabel = TryRelativePath(entry, "label", where, out string? label);
            if (!hasImage || !hasLabel) continue;
            string id = CaseId(label!, null);
            if (!ids.Add(id)) { Problems.Add(new(JsonName, $"{where}: case {id} is listed twice")); continue; }
            Cases.Add(new DatasetCase(id, [image!], label!));
        }
        if (!json.TryGetProperty("numTraining", out var num) || !num.TryGetInt32(out int n))
            Problems.Add(new(JsonName, "numTraining missing or not an integer"));
        else if (n != index)
            Problems.Add(new(JsonName, $"numTraining is {n} but training lists {index} cases"));

        if (json.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.Array)
            foreach (var t in test.EnumerateArray())
            {
                // imagesTs is optional: test entries count only when their folder was shipped.
                if (t.ValueKind == JsonValueKind.String && Relative(t.GetString()!, "test") is { } rel)
                {
                    if (Directory.Exists(Path.Combine(root, Path.GetDirectoryName(rel) ?? ""))) TestImages.Add(rel);
                }
                else if (t.ValueKind != JsonValueKind.String) Problems.Add(new(JsonName, "test entries must be file paths"));
            }

        // Every image needs a label: an image in imagesTr that no training entry names has none.
        var listed = Cases.SelectMany(c => c.Images).ToHashSet(StringComparer.Ordinal);
        foreach (string file in NiftiFilesIn(root, "imagesTr"))
            if (!listed.Contains(file)) Problems.Add(new(file, "image has no label (not listed in dataset.json training)"));
    }

    private void ReadNnUnet(JsonElement json, string root)
    {
        Layout = DatasetLayout.NnUnetV2;
        int channels = 0;
        if (TryObject(json, "channel_names", out var names))
        {
            channels = names.EnumerateObject().Count();
            for (int c = 0; c < channels; c++)
                if (!names.TryGetProperty(c.ToString(), out _))
                    Problems.Add(new(JsonName, $"channel_names must have keys \"0\"..\"{channels - 1}\"; \"{c}\" is missing"));
            if (channels == 0) Problems.Add(new(JsonName, "channel_names is empty"));
        }
        if (TryObject(json, "labels", out var labels))
        {
            foreach (var p in labels.EnumerateObject())
            {
                // nnU-Net maps name → id; region-based training uses a list of ids.
                var values = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().ToList() : [p.Value];
                foreach (var v in values)
                    if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int id)) LabelValues.Add(id);
                    else Problems.Add(new(JsonName, $"labels: \"{p.Name}\" maps to {v.GetRawText()}, not an integer label id (nnU-Net v2 maps name → id)"));
            }
            if (!LabelValues.Contains(0)) Problems.Add(new(JsonName, "labels: nnU-Net v2 needs background = 0"));
        }
        string? ending = json.TryGetProperty("file_ending", out var fe) && fe.ValueKind == JsonValueKind.String ? fe.GetString() : null;
        if (string.IsNullOrEmpty(ending)) { Problems.Add(new(JsonName, "file_ending missing (e.g. \".nii.gz\")")); return; }
        if (ending is not (".nii.gz" or ".nii"))
        {
            Problems.Add(new(JsonName, $"file_ending is \"{ending}\"; only NIfTI (\".nii.gz\" or \".nii\") can be imported"));
            return;
        }
        if (channels == 0) return;

        var labelFiles = NiftiFilesIn(root, "labelsTr", ending).ToList();
        var imageFiles = NiftiFilesIn(root, "imagesTr", ending).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (string label in labelFiles)
        {
            string id = CaseId(label, ending);
            var images = Enumerable.Range(0, channels).Select(c => $"imagesTr/{id}_{c:0000}{ending}").ToList();
            var missing = images.Where(i => !imageFiles.Contains(i)).ToList();
            foreach (string m in missing) Problems.Add(new(m, $"missing: label {label} has no image for channel {m[^(ending.Length + 4)..^ending.Length]}"));
            used.UnionWith(images);
            Cases.Add(new DatasetCase(id, images, label));
        }
        foreach (string image in imageFiles.Where(i => !used.Contains(i)).Order(StringComparer.Ordinal))
            Problems.Add(new(image, NnUnetImageProblem(image, ending, channels)));

        if (!json.TryGetProperty("numTraining", out var num) || !num.TryGetInt32(out int n))
            Problems.Add(new(JsonName, "numTraining missing or not an integer"));
        else if (n != Cases.Count)
            Problems.Add(new(JsonName, $"numTraining is {n} but labelsTr holds {Cases.Count} cases"));
        TestImages.AddRange(NiftiFilesIn(root, "imagesTs", ending));
    }

    private static string NnUnetImageProblem(string image, string ending, int channels)
    {
        string stem = Path.GetFileName(image)[..^ending.Length];
        int underscore = stem.LastIndexOf('_');
        if (underscore < 0 || stem.Length - underscore != 5 || !int.TryParse(stem[(underscore + 1)..], out int channel))
            return $"image name must be <case>_<XXXX>{ending} (four-digit channel)";
        if (channel >= channels) return $"channel {channel:0000} but dataset.json channel_names has {channels}";
        return $"image has no label (labelsTr/{stem[..underscore]}{ending} missing)";
    }

    private bool TryObject(JsonElement json, string name, out JsonElement value)
    {
        if (json.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object) return true;
        Problems.Add(new(JsonName, $"{name} missing or not an object"));
        return false;
    }

    private bool TryRelativePath(JsonElement entry, string key, string where, out string? path)
    {
        path = null;
        if (!entry.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.String)
        {
            Problems.Add(new(JsonName, $"{where}: \"{key}\" missing or not a string"));
            return false;
        }
        path = Relative(v.GetString()!, $"{where}.{key}");
        return path is not null;
    }

    /// <summary>"./imagesTr/a.nii.gz" → "imagesTr/a.nii.gz"; absolute paths and ".." are problems (the folder must be self-contained).</summary>
    private string? Relative(string raw, string where)
    {
        string p = raw.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        if (p.Length == 0 || p.StartsWith('/') || Path.IsPathRooted(p) || p.Split('/').Contains(".."))
        {
            Problems.Add(new(JsonName, $"{where}: \"{raw}\" must be a path inside the dataset folder, e.g. \"./imagesTr/case.nii.gz\""));
            return null;
        }
        return p;
    }

    /// <summary>Case id from a label path: file name without the NIfTI ending.</summary>
    internal static string CaseId(string relativePath, string? ending)
    {
        string name = Path.GetFileName(relativePath);
        if (ending is not null && name.EndsWith(ending, StringComparison.Ordinal)) return name[..^ending.Length];
        if (name.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase)) return name[..^7];
        if (name.EndsWith(".nii", StringComparison.OrdinalIgnoreCase)) return name[..^4];
        return name;
    }

    /// <summary>NIfTI files directly in a sub-folder, relative paths, sorted; macOS "._" resource forks (found in the MSD archives) skipped.</summary>
    internal static IEnumerable<string> NiftiFilesIn(string root, string folder, string? ending = null)
    {
        string dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith('.')
                        && (ending is null ? n.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".nii", StringComparison.OrdinalIgnoreCase)
                                           : n.EndsWith(ending, StringComparison.Ordinal)))
            .Select(n => $"{folder}/{n}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
