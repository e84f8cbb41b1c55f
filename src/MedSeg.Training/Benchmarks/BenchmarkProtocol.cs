using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MedSeg.Core.Benchmarks;
using MedSeg.Training.FineTune;

namespace MedSeg.Training.Benchmarks;

/// <summary>
/// A benchmark protocol: the downstream datasets (imported folders with split.json), label budgets (cases of the train
/// list, or "all"; which cases is drawn by seed), seeds (≥ 3), the fine-tune recipe (every <see cref="FineTuneOptions"/>
/// field except the per-cell ones: dataset, output folder, init, seed and train cases) and the metrics. It says nothing
/// about the pretraining methods: any set of runs (plus "scratch" and imported safetensors) is run through it.
/// JSON (camelCase): <c>{"name", "version", "datasets": [...], "budgets": [1, 2, 4, "all"], "seeds": [1, 2, 3], "fineTune": {...}, "metrics": [...]}</c>.
/// </summary>
public sealed partial class BenchmarkProtocol
{
    public const int MaxNameLength = 100, MaxDatasets = 20, MaxBudgets = 20, MinSeeds = 3, MaxSeeds = 100, MaxVersion = 1_000_000;
    public const long MaxSeed = int.MaxValue;

    public string Name { get; set; } = "";
    /// <summary>
    /// The protocol's version (the portal adds one with every save). Versions with the same recipe (<see cref="RecipeKey"/>)
    /// share their finished cells, so a version that only adds seeds, budgets or datasets runs only the new cells.
    /// </summary>
    public int Version { get; set; } = 1;
    /// <summary>Dataset folders (dataset.json + split.json); relative ones are resolved against the protocol file's folder.</summary>
    public List<string> Datasets { get; set; } = [];
    public List<LabelBudget> Budgets { get; set; } = [new(1), new(2), new(4), LabelBudget.All];
    public List<long> Seeds { get; set; } = [1, 2, 3];
    public FineTuneOptions FineTune { get; set; } = new();
    public List<string> Metrics { get; set; } = [BenchmarkMetric.Dice, BenchmarkMetric.Assd, BenchmarkMetric.Hd95];

    /// <summary>Every problem, one message each naming the field and the value (and the limit); empty = valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        void Fail(string field, object? value, string rule) =>
            problems.Add(string.Format(c, "Protocol.{0} must be {1}, got {2}.", field, rule, value is null ? "null" : $"'{value}'"));
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength || !NamePattern().IsMatch(Name))
            Fail("name", Name, $"1 to {MaxNameLength} letters, digits, spaces, '.', '_' or '-'");
        if (Version is < 1 or > MaxVersion) Fail("version", Version, $"from 1 to {MaxVersion}");
        if (Datasets is null || Datasets.Count is 0 or > MaxDatasets) Fail("datasets", Datasets?.Count, $"1 to {MaxDatasets} dataset folders");
        else
        {
            for (int i = 0; i < Datasets.Count; i++)
                if (string.IsNullOrWhiteSpace(Datasets[i])) Fail($"datasets[{i}]", Datasets[i], "a dataset folder");
            if (Datasets.Select(DatasetName).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
                Fail("datasets", twice.Key, "folders with distinct names (the name labels the table's columns)");
        }
        if (Budgets is null || Budgets.Count is 0 or > MaxBudgets) Fail("budgets", Budgets?.Count, $"1 to {MaxBudgets} budgets");
        else if (Budgets.Distinct().Count() != Budgets.Count) Fail("budgets", string.Join(",", Budgets), "distinct");
        if (Seeds is null || Seeds.Count < MinSeeds || Seeds.Count > MaxSeeds) Fail("seeds", Seeds?.Count, $"{MinSeeds} to {MaxSeeds} seeds (spread needs at least {MinSeeds})");
        else
        {
            if (Seeds.Distinct().Count() != Seeds.Count) Fail("seeds", string.Join(",", Seeds), "distinct");
            foreach (var s in Seeds.Where(s => s is < 0 or > MaxSeed)) Fail("seeds", s, $"from 0 to {MaxSeed}");
        }
        if (Metrics is null || Metrics.Count == 0) Fail("metrics", null, $"one or more of {string.Join(", ", BenchmarkMetric.Known)}");
        else foreach (var m in Metrics.Where(m => !BenchmarkMetric.Known.Contains(m))) Fail("metrics", m, $"one of {string.Join(", ", BenchmarkMetric.Known)}");
        if (FineTune is null) Fail("fineTune", null, "a fine-tune recipe");
        else
        {
            var recipe = RecipeProblems(FineTune);
            problems.AddRange(recipe.Select(p => "Protocol.fineTune: " + p));
        }
        return problems;
    }

    public BenchmarkProtocol Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        return this;
    }

    /// <summary>The column label of a dataset folder: its folder name.</summary>
    public static string DatasetName(string folder) => Path.GetFileName(Path.TrimEndingDirectorySeparator(folder.Trim()));

    /// <summary>The recipe's problems with the per-cell fields filled in (they are set for each cell).</summary>
    private static IReadOnlyList<string> RecipeProblems(FineTuneOptions recipe)
    {
        var probe = FineTuneOptions.FromJsonUnvalidated(recipe.ToJson());
        probe.DatasetDir = "dataset"; probe.OutputDir = "cell"; probe.Init = "scratch"; probe.EncoderOnly = false; probe.TrainCases = null;
        return probe.Problems();
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads and validates a protocol; every problem in one <see cref="ArgumentException"/> naming <paramref name="source"/>.</summary>
    public static BenchmarkProtocol FromJson(string json, string source = "protocol")
    {
        BenchmarkProtocol? p;
        try { p = JsonSerializer.Deserialize<BenchmarkProtocol>(json, Json); }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new ArgumentException($"{source}: invalid protocol JSON{(e is JsonException j ? $" at {j.Path ?? "$"}" : "")} ({e.Message})", e);
        }
        if (p is null) throw new ArgumentException($"{source}: JSON is null.");
        var problems = p.Problems();
        if (problems.Count > 0) throw new ArgumentException($"{source}: {string.Join(" ", problems)}");
        return p;
    }

    /// <summary>
    /// The recipe as compared between runs of the same benchmark folder: the name, the fine-tune options without the
    /// per-cell fields, and the metrics. Adding datasets, budgets, seeds or methods keeps it; changing it needs a new name
    /// (or, on the CLI, a new --out folder).
    /// </summary>
    public string RecipeKey()
    {
        var r = FineTuneOptions.FromJsonUnvalidated(FineTune.ToJson());
        r.DatasetDir = ""; r.OutputDir = ""; r.Init = "scratch"; r.Seed = 0; r.TrainCases = null; r.Resume = false;
        return JsonSerializer.Serialize(new { name = Name, fineTune = r, metrics = Metrics }, Json);
    }

    [GeneratedRegex(@"^[A-Za-z0-9 ._-]+$")]
    private static partial Regex NamePattern();
}
