using MedSeg.Core.Datasets.Msd;

namespace MedSeg.Training.FineTune;

/// <summary>One labelled case: absolute image and label paths.</summary>
public sealed record FineTuneCase(string Id, string ImagePath, string LabelPath);

/// <summary>
/// An imported dataset folder resolved for fine-tuning: dataset.json's cases split by split.json into
/// train / val / test (<see cref="MsdCaseList"/>), and the class count (largest label value + 1, background included).
/// The folder is validated first (<see cref="MsdDatasetValidator"/>); any problem is reported with its file.
/// </summary>
public sealed record FineTuneDataset(string Root, int ClassCount, IReadOnlyList<FineTuneCase> Train,
    IReadOnlyList<FineTuneCase> Val, IReadOnlyList<FineTuneCase> Test, IReadOnlyDictionary<int, string> LabelNames)
{
    /// <summary>The cases evaluated at the end: test, or validation when the split has no test cases.</summary>
    public (string Split, IReadOnlyList<FineTuneCase> Cases) EvaluationCases => Test.Count > 0 ? ("test", Test) : ("val", Val);

    /// <summary>This dataset training on <paramref name="ids"/> only (a label budget); null = unchanged. Unknown ids are named.</summary>
    public FineTuneDataset WithTrainCases(IReadOnlyCollection<string>? ids)
    {
        if (ids is null) return this;
        var unknown = ids.Where(id => Train.All(c => c.Id != id)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"FineTuneOptions.TrainCases names cases that are not in the train list of '{Path.Combine(Root, DatasetSplit.FileName)}': {string.Join(", ", unknown.Take(5))}.");
        var keep = ids.ToHashSet(StringComparer.Ordinal);
        return this with { Train = Train.Where(c => keep.Contains(c.Id)).ToList() };
    }

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
        var list = MsdCaseList.Read(root);
        IReadOnlyList<FineTuneCase> Resolve(string name) => list.InSplit(name).Select(c => c.ImagePaths.Count == 1
            ? new FineTuneCase(c.Id, c.ImagePath, c.LabelPath)
            : throw new NotSupportedException($"Case '{c.Id}' has {c.ImagePaths.Count} image channels; fine-tuning supports single-channel images.")).ToList();
        var train = Resolve("train");
        if (train.Count == 0) throw new InvalidDataException($"{splitPath}: the train list is empty.");
        var val = Resolve("val");
        var test = Resolve("test");
        int classes = report.LabelValues.Count == 0 ? 2 : report.LabelValues.Max() + 1;
        return new FineTuneDataset(root, classes, train, val, test, list.LabelNames);
    }
}
