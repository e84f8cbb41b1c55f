using MedSeg.Core.Datasets.Msd;

namespace MedSeg.Training.FineTune;

/// <summary>One labelled case: absolute image and label paths.</summary>
public sealed record FineTuneCase(string Id, string ImagePath, string LabelPath);

/// <summary>
/// An imported dataset folder resolved for fine-tuning: dataset.json's cases split by split.json into
/// train / val / test, and the class count (largest label value + 1, background included).
/// The folder is validated first (<see cref="MsdDatasetValidator"/>); any problem is reported with its file.
/// </summary>
public sealed record FineTuneDataset(string Root, int ClassCount, IReadOnlyList<FineTuneCase> Train,
    IReadOnlyList<FineTuneCase> Val, IReadOnlyList<FineTuneCase> Test, IReadOnlyDictionary<int, string> LabelNames)
{
    /// <summary>The cases evaluated at the end: test, or validation when the split has no test cases.</summary>
    public (string Split, IReadOnlyList<FineTuneCase> Cases) EvaluationCases => Test.Count > 0 ? ("test", Test) : ("val", Val);

    public static FineTuneDataset Open(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Dataset folder '{root}' (--dataset) does not exist.");
        var splitPath = Path.Combine(root, DatasetSplit.FileName);
        if (!File.Exists(splitPath))
            throw new FileNotFoundException($"Dataset folder '{root}' has no {DatasetSplit.FileName}; import it with `medseg import msd SOURCE --out DIR --val F --test F`.", splitPath);
        var report = MsdDatasetValidator.Validate(root);
        if (!report.IsValid)
            throw new InvalidDataException($"Dataset '{root}' is not usable: {string.Join("; ", report.Problems.Take(5).Select(p => p.ToString()))}");
        var split = DatasetSplit.FromJson(File.ReadAllText(splitPath));
        var byId = report.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        IReadOnlyList<FineTuneCase> Resolve(IReadOnlyList<string> ids, string list) => ids.Select(id =>
        {
            if (!byId.TryGetValue(id, out var c))
                throw new InvalidDataException($"{splitPath}: {list} lists case '{id}', which dataset.json does not have.");
            if (c.Images.Count != 1)
                throw new NotSupportedException($"Case '{id}' has {c.Images.Count} image channels; fine-tuning supports single-channel images.");
            return new FineTuneCase(id, Path.Combine(root, c.Images[0]), Path.Combine(root, c.Label));
        }).ToList();
        var train = Resolve(split.Train, "train");
        if (train.Count == 0) throw new InvalidDataException($"{splitPath}: the train list is empty.");
        var val = Resolve(split.Val, "val");
        var test = Resolve(split.Test, "test");
        int classes = report.LabelValues.Count == 0 ? 2 : report.LabelValues.Max() + 1;
        return new FineTuneDataset(root, classes, train, val, test, ReadLabelNames(root));
    }

    /// <summary>Label value → name from a dataset folder's dataset.json (MSD "1": "liver" or nnU-Net v2 "liver": 1).</summary>
    public static IReadOnlyDictionary<int, string> ReadLabelNames(string root)
    {
        var names = new Dictionary<int, string>();
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "dataset.json")));
        if (!doc.RootElement.TryGetProperty("labels", out var labels) || labels.ValueKind != System.Text.Json.JsonValueKind.Object) return names;
        foreach (var p in labels.EnumerateObject())
        {
            // MSD: "1": "liver"; nnU-Net v2: "liver": 1.
            if (int.TryParse(p.Name, out int id) && p.Value.ValueKind == System.Text.Json.JsonValueKind.String) names[id] = p.Value.GetString()!;
            else if (p.Value.ValueKind == System.Text.Json.JsonValueKind.Number && p.Value.TryGetInt32(out int v)) names[v] = p.Name;
        }
        return names;
    }
}
