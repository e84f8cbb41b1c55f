using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Training.FineTune;

/// <summary>
/// Settings of a downstream fine-tuning run (MONAI BTCV-style recipe): a dataset folder with split.json, a network,
/// its initialisation (<see cref="Init"/>), preprocessing (recorded in config.json), DiceCE loss, AdamW with warm-up
/// cosine, random pos/neg patches, sliding-window validation (roi = patch, overlap 0.5, gaussian) every N steps with a
/// best checkpoint by mean foreground Dice, and a final evaluation on the test split (or validation when it is empty).
/// JSON (camelCase) round-trips through <see cref="ToJson"/> / <see cref="FromJson"/>.
/// </summary>
public sealed class FineTuneOptions
{
    /// <summary>Imported dataset folder (dataset.json + split.json, see `medseg import msd`).</summary>
    public string DatasetDir { get; set; } = "";
    public string OutputDir { get; set; } = "";

    public string Model { get; set; } = "SwinUNETR";
    public int FeatureSize { get; set; } = 12;
    /// <summary>Further constructor arguments by MONAI name.</summary>
    public Dictionary<string, string> ModelArgs { get; set; } = new();

    /// <summary>"scratch", "run:&lt;run folder&gt;" or "safetensors:&lt;file&gt;" (see <see cref="InitSource"/>).</summary>
    public string Init { get; set; } = "scratch";
    /// <summary>Load only the encoder from <see cref="Init"/> (decoder and head stay as initialised).</summary>
    public bool EncoderOnly { get; set; }
    /// <summary>
    /// Tensor axis order (<see cref="Layout.AxisOrder"/>); null = follow the init (<see cref="AxisOrderChoice"/>: the recorded
    /// order of MedSeg checkpoints, Zyx for runs from before it was recorded, MonaiXyz for scratch and for safetensors weights
    /// from MONAI); a resumed run keeps its checkpoint's order.
    /// </summary>
    public Layout.AxisOrder? AxisOrder { get; set; }

    /// <summary>Preprocessing; its patch size is replaced by <see cref="PatchSize"/> and pos/neg by <see cref="Positive"/>/<see cref="Negative"/>.</summary>
    public PreprocessingOptions Preprocessing { get; set; } = PreprocessingOptions.Default;

    /// <summary>
    /// Label budget: train only on these ids of split.json's train list (a benchmark protocol draws them by seed,
    /// <c>LabelBudget.Draw</c>); null = the whole train list. Validation and test cases are unchanged.
    /// </summary>
    public List<string>? TrainCases { get; set; }

    public int PatchSize { get; set; } = 96;
    public double Positive { get; set; } = 1;
    public double Negative { get; set; } = 1;
    /// <summary>Patches per optimiser step.</summary>
    public int BatchSize { get; set; } = 2;
    public int Steps { get; set; } = 1000;
    public double LearningRate { get; set; } = 1e-4;
    public double WeightDecay { get; set; } = 1e-5;
    /// <summary>Warm-up steps; null = 10% of the steps.</summary>
    public int? WarmupSteps { get; set; }
    public double? MaxGradNorm { get; set; } = 1.0;

    /// <summary>Sliding-window validation every N steps (0 = off; then the last step's model is evaluated).</summary>
    public int ValidationEvery { get; set; } = 100;
    public double Overlap { get; set; } = 0.5;
    public int CheckpointEvery { get; set; } = 500;
    public int KeepLast { get; set; } = 2;

    public long Seed { get; set; }
    public string Device { get; set; } = "auto";
    /// <summary>fp32 (default) or bf16: mixed precision with fp32 master weights and optimizer state (Devices.Bf16Backbone).</summary>
    public string Precision { get; set; } = Devices.TrainingPrecision.Fp32;
    public int? TorchThreads { get; set; }
    public int LoaderWorkers { get; set; } = 2;
    public int Prefetch { get; set; } = 4;
    public bool Resume { get; set; }

    public int EffectiveWarmup => WarmupSteps ?? (int)(0.1 * Steps);

    /// <summary>The preprocessing actually applied: <see cref="Preprocessing"/> with this run's patch size and pos/neg ratio.</summary>
    public PreprocessingOptions EffectivePreprocessing => Preprocessing with
    {
        PatchSize = [PatchSize, PatchSize, PatchSize], Positive = Positive, Negative = Negative,
    };

    /// <summary>Rejects values that cannot work, naming the field (and its CLI option) and the value (every problem, one sentence each).</summary>
    public FineTuneOptions Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        return this;
    }

    /// <summary>Every value that cannot work, one message each naming the field (and its CLI option) and the value; empty = valid.
    /// The one rule set for the CLI, the portal's queue and its fine-tune form.</summary>
    public IReadOnlyList<string> Problems()
    {
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        void Fail(string field, object? value, string rule) =>
            problems.Add(string.Format(c, "FineTuneOptions.{0} must be {1}, got {2}.", field, rule, value is null ? "null" : $"'{value}'"));
        void Check(Action check)
        {
            try { check(); }
            catch (ArgumentException e) { problems.Add(e.Message); }
        }
        if (string.IsNullOrWhiteSpace(DatasetDir)) Fail("DatasetDir (--dataset)", DatasetDir, "a dataset folder");
        if (!Devices.TrainingPrecision.IsValid(Precision)) Fail("Precision (--precision)", Precision, $"'{Devices.TrainingPrecision.Fp32}' or '{Devices.TrainingPrecision.Bf16}'");
        if (string.IsNullOrWhiteSpace(OutputDir)) Fail("OutputDir (--out)", OutputDir, "a run folder");
        if (string.IsNullOrWhiteSpace(Model)) Fail("Model (--model)", Model, "a network name");
        if (FeatureSize <= 0) Fail("FeatureSize (--feature-size)", FeatureSize, "positive");
        if (PatchSize <= 0) Fail("PatchSize (--patch)", PatchSize, "positive");
        else if (!string.IsNullOrWhiteSpace(Model) && Fdsl.ModelChoice.InputMultiple(Model, ModelArgs) is var multiple && PatchSize % multiple != 0)
            Fail("PatchSize (--patch)", PatchSize, $"a multiple of {multiple} for {Model}");
        if (BatchSize <= 0) Fail("BatchSize (--batch)", BatchSize, "positive");
        if (Steps <= 0) Fail("Steps (--steps)", Steps, "positive");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) Fail("LearningRate (--lr)", LearningRate, "> 0");
        if (!(WeightDecay >= 0)) Fail("WeightDecay", WeightDecay, ">= 0");
        if (WarmupSteps is int w && (w < 0 || w >= Steps)) Fail("WarmupSteps", w, $">= 0 and below Steps ({Steps})");
        if (ValidationEvery < 0) Fail("ValidationEvery (--val-every)", ValidationEvery, ">= 0");
        if (!(Overlap >= 0 && Overlap < 1)) Fail("Overlap", Overlap, "in [0, 1)");
        if (CheckpointEvery <= 0) Fail("CheckpointEvery", CheckpointEvery, "positive");
        if (KeepLast <= 0) Fail("KeepLast", KeepLast, "positive");
        if (LoaderWorkers <= 0) Fail("LoaderWorkers", LoaderWorkers, "positive");
        if (Prefetch <= 0) Fail("Prefetch", Prefetch, "positive");
        if (!(Positive >= 0) || !(Negative >= 0) || Positive + Negative <= 0) Fail("Positive/Negative", $"{Positive}/{Negative}", ">= 0 and not both 0");
        if (TrainCases is { } cases && (cases.Count == 0 || cases.Any(string.IsNullOrWhiteSpace) || cases.Distinct().Count() != cases.Count))
            Fail("TrainCases", string.Join(",", cases), "null (all) or distinct non-empty case ids");
        InitSource? init = null;
        Check(() => init = InitSource.Parse(Init)); // names the field on a bad value
        if (EncoderOnly && init?.Kind == InitKind.Scratch) Fail("EncoderOnly (--encoder-only)", EncoderOnly, "used with a run: or safetensors: init, not scratch");
        if (Preprocessing is null) problems.Add("FineTuneOptions.Preprocessing must be set, got null.");
        else Check(() => Preprocessing.Validated("FineTuneOptions.Preprocessing"));
        return problems;
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the JSON without <see cref="Validate"/> (a template whose per-run fields are filled in later).</summary>
    public static FineTuneOptions FromJsonUnvalidated(string json) =>
        JsonSerializer.Deserialize<FineTuneOptions>(json, Json) ?? throw new ArgumentException("fine-tune options: JSON is null");

    public static FineTuneOptions FromJson(string json, string source = "fine-tune options")
    {
        FineTuneOptions? o;
        try { o = JsonSerializer.Deserialize<FineTuneOptions>(json, Json); }
        catch (JsonException e) { throw new ArgumentException($"{source}: invalid JSON at {e.Path ?? "$"} ({e.Message})", e); }
        return (o ?? throw new ArgumentException($"{source}: JSON is null")).Validate();
    }
}
