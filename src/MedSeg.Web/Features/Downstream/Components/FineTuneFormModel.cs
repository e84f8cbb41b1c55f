using MedSeg.Core.Preprocessing;
using MedSeg.Training.FineTune;

namespace MedSeg.Web.Features.Downstream.Components;

/// <summary>How a downstream run starts: the pretraining run's whole network, only its encoder, or random weights.</summary>
public enum DownstreamInit { WholeNetwork, EncoderOnly, Scratch }

/// <summary>
/// The settings the fine-tune form edits before a downstream run is queued. Defaults are <see cref="FineTuneOptions"/>'s
/// (patch = the pretraining run's crop). <see cref="Validate"/> is <see cref="FineTuneOptions.Problems"/> on the options
/// these settings make: one rule set for the CLI, the queue and this form. The network (model, feature size, model
/// arguments) always comes from the pretraining run, so the weights fit.
/// </summary>
public sealed class FineTuneFormModel
{
    /// <summary>Placeholder run folder for validation: the training service picks the real one.</summary>
    private const string PendingOutput = "runs/pending";

    public string? Dataset { get; set; }
    public DownstreamInit Init { get; set; } = DownstreamInit.WholeNetwork;
    /// <summary>A checkpoint folder of the pretraining run to start from (checkpoint browser); null: its best / newest.</summary>
    public string? Checkpoint { get; set; }
    public int Steps { get; set; }
    public double LearningRate { get; set; }
    public int BatchSize { get; set; }
    public int PatchSize { get; set; }
    /// <summary>Sliding-window validation every N steps (0 = off).</summary>
    public int ValidationEvery { get; set; }
    public double Overlap { get; set; }
    /// <summary>Resample to <see cref="SpacingX"/>.. (mm); off keeps each case's own grid.</summary>
    public bool Resample { get; set; }
    public double SpacingX { get; set; }
    public double SpacingY { get; set; }
    public double SpacingZ { get; set; }
    /// <summary>HU window scaled to 0..1 (clipped).</summary>
    public double HuMin { get; set; }
    public double HuMax { get; set; }
    public long Seed { get; set; }

    /// <summary>The untouched settings (checkpoints, warm-up, augmentation, ...), carried over as they are.</summary>
    private readonly FineTuneOptions defaults;

    private FineTuneFormModel(FineTuneOptions defaults) => this.defaults = defaults;

    /// <summary>
    /// The form prefilled from <paramref name="defaults"/> (a fresh <see cref="FineTuneOptions"/> when null), validated
    /// against the network of <paramref name="network"/> (the pretraining run's settings), as the queue will build it.
    /// </summary>
    public static FineTuneFormModel From(FineTuneOptions? defaults, DownstreamInit init, string? dataset, int? patchSize = null,
        Training.Fdsl.FdslOptions? network = null)
    {
        var o = defaults is null ? new FineTuneOptions() : FineTuneRunConfig.Read(FineTuneRunConfig.Write(defaults), "fine-tune defaults");
        if (network is not null) (o.Model, o.FeatureSize, o.ModelArgs) = (network.Model, network.FeatureSize, new(network.ModelArgs));
        var spacing = o.Preprocessing.TargetSpacing ?? PreprocessingOptions.Default.TargetSpacing!;
        return new FineTuneFormModel(o)
        {
            Dataset = dataset, Init = init, Steps = o.Steps, LearningRate = o.LearningRate, BatchSize = o.BatchSize,
            PatchSize = patchSize ?? o.PatchSize, ValidationEvery = o.ValidationEvery, Overlap = o.Overlap,
            Resample = o.Preprocessing.TargetSpacing is not null, SpacingX = spacing[0], SpacingY = spacing[1], SpacingZ = spacing[2],
            HuMin = o.Preprocessing.IntensityMin, HuMax = o.Preprocessing.IntensityMax, Seed = o.Seed,
        };
    }

    public bool EncoderOnly => Init == DownstreamInit.EncoderOnly;
    public bool FromScratch => Init == DownstreamInit.Scratch;

    /// <summary>The options these settings make (dataset and init as the queue will store them; no run folder yet).</summary>
    public FineTuneOptions ToOptions(string pretrainRunFolder)
    {
        var o = FineTuneRunConfig.Read(FineTuneRunConfig.Write(defaults), "fine-tune defaults"); // a copy: the form may be submitted twice
        o.DatasetDir = Dataset ?? "";
        o.Init = FromScratch ? "scratch" : $"run:{pretrainRunFolder}";
        o.EncoderOnly = EncoderOnly;
        o.Steps = Steps;
        o.LearningRate = LearningRate;
        o.BatchSize = BatchSize;
        o.PatchSize = PatchSize;
        o.ValidationEvery = ValidationEvery;
        o.Overlap = Overlap;
        o.Seed = Seed;
        o.Preprocessing = o.Preprocessing with
        {
            TargetSpacing = Resample ? [SpacingX, SpacingY, SpacingZ] : null,
            IntensityMin = HuMin,
            IntensityMax = HuMax,
        };
        return o;
    }

    /// <summary>Every problem, one message each naming the field and the value (the options' own rules). Empty = valid.</summary>
    public IReadOnlyList<string> Validate(string pretrainRunFolder)
    {
        var o = ToOptions(pretrainRunFolder);
        o.OutputDir = PendingOutput;
        return o.Problems().Select(InFormWords).ToList();
    }

    /// <summary>The form's labels for <see cref="FineTuneOptions.Problems"/>' field names (the CLI keeps those).</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["DatasetDir"] = "Downstream dataset", ["Steps"] = "Steps", ["LearningRate"] = "Learning rate",
        ["BatchSize"] = "Batch size (patches)", ["PatchSize"] = "Patch (voxels per edge)", ["ValidationEvery"] = "Validate every",
        ["Overlap"] = "Window overlap", ["WarmupSteps"] = "Warm-up steps", ["Model"] = "Network", ["FeatureSize"] = "Feature size",
    };

    private static readonly System.Text.RegularExpressions.Regex OptionProblem =
        new(@"^FineTuneOptions\.(?<field>[A-Za-z]+)(?: \(--[a-z-]+\))? must be (?<rule>.+), got '(?<value>.*)'\.$",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// "FineTuneOptions.Steps (--steps) must be positive, got '0'." → "Steps must be positive, got 0." (issue 12: the
    /// form spoke in internal names). Problems about fields the form does not show stay as they are.
    /// </summary>
    internal static string InFormWords(string problem)
    {
        var m = OptionProblem.Match(problem);
        return m.Success && Labels.TryGetValue(m.Groups["field"].Value, out var label)
            ? $"{label} must be {m.Groups["rule"].Value}, got {m.Groups["value"].Value}."
            : problem;
    }
}
