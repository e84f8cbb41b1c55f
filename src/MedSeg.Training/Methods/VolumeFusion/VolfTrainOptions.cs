using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Loop;

namespace MedSeg.Training.Methods.VolumeFusion;

/// <summary>
/// Options of a Volume Fusion pretraining run (JSON camelCase; unknown fields refused). The sub-volume size
/// (<see cref="VolfOptions.Size"/>, D×H×W) is the training crop. Defaults: the MIS-FM preset (PCT-Net released channels,
/// resolution mode 1, 64×128×128, K = 4, Adam lr 1e-3, wd 1e-5, StepLR γ 0.5).
/// </summary>
public sealed record VolfTrainOptions : IMethodOptions
{
    public string OutputDir { get; init; } = "";
    public bool Resume { get; init; }

    /// <summary>Unlabelled NIfTI images: a plain folder or an MSD / imported dataset (imagesTr + imagesTs).</summary>
    public string? SourceDir { get; init; }

    /// <summary>Instead of a folder: this many SYNTHETIC phantom CT volumes generated in memory (0 = use <see cref="SourceDir"/>).</summary>
    public int PhantomCount { get; init; }

    /// <summary>Phantom volume size x, y, z when <see cref="PhantomCount"/> &gt; 0.</summary>
    public int[] PhantomSize { get; init; } = [96, 96, 48];

    public VolfOptions Volf { get; init; } = new();

    /// <summary>PCTNet (default), BasicUNet, SwinUNETR or UNETR.</summary>
    public string Model { get; init; } = "PCTNet";

    /// <summary>Constructor arguments by the network's own names (PCT-Net: the authors' keys); they win over the defaults.</summary>
    public Dictionary<string, string> ModelArgs { get; init; } = [];

    public int BatchSize { get; init; } = 2;
    public int Steps { get; init; } = 1000;
    public long Seed { get; init; }
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>MIS-FM: Adam (L2 weight decay); AdamW as the other loops use is an option.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>MIS-FM: StepLR (<see cref="StepSize"/>, <see cref="Gamma"/>); warm-up cosine (<see cref="WarmupSteps"/>) is an option.</summary>
    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.Step;

    /// <summary>StepLR: halve (× <see cref="Gamma"/>) every this many steps. The reference gives γ only: a quarter of the default steps is our choice.</summary>
    public int StepSize { get; init; } = 250;

    /// <summary>StepLR factor: MIS-FM's 0.5.</summary>
    public double Gamma { get; init; } = 0.5;

    /// <summary>Warm-up cosine only: linear warm-up steps (0 = pure cosine decay, what VolF ran before StepLR existed).</summary>
    public int WarmupSteps { get; init; }
    public int CheckpointEvery { get; init; } = 500;
    public int KeepLast { get; init; } = 3;

    /// <summary>Validate on a fixed set of fused samples every N steps (0 = off): Dice per fusion class.</summary>
    public int ValidationEvery { get; init; }
    public int ValidationSamples { get; init; } = 4;
    public string Device { get; init; } = "auto";
    public int? TorchThreads { get; init; }
    public int LoaderWorkers { get; init; } = 2;

    public const int MaxSteps = 10_000_000, MaxBatch = 64, MaxPhantoms = 1000, MaxValidationSamples = 1000, MaxThreads = 256;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static VolfTrainOptions FromJson(string json) =>
        JsonSerializer.Deserialize<VolfTrainOptions>(json, Json) ?? throw new JsonException("Volume Fusion options: JSON holds null");

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDir)) p.Add("outputDir (--out) is required");
        bool folder = !string.IsNullOrWhiteSpace(SourceDir);
        if (folder == PhantomCount > 0)
            p.Add($"give exactly one source: sourceDir (--source) or phantomCount (--phantom-sources); got sourceDir '{SourceDir}', phantomCount {PhantomCount}");
        if (PhantomCount < 0 || PhantomCount > MaxPhantoms) p.Add($"phantomCount must be in 0..{MaxPhantoms}, got {PhantomCount}");
        if (PhantomCount > 0 && (PhantomSize is not { Length: 3 } || PhantomSize.Any(v => v < 8 || v > 1024)))
            p.Add($"phantomSize must be three integers in 8..1024, got [{string.Join(", ", PhantomSize ?? [])}]");
        if (Volf is null) p.Add("volf options are required");
        else p.AddRange(Volf.Problems().Select(m => "volf." + m));
        if (!Methods.VolumeFusion.VolfModels.Known.Contains(Model, StringComparer.OrdinalIgnoreCase))
            p.Add($"model must be one of {string.Join(", ", VolfModels.Known)}, got '{Model}'");
        if (BatchSize < 1 || BatchSize > MaxBatch) p.Add($"batchSize (--batch) must be in 1..{MaxBatch}, got {BatchSize}");
        if (Steps < 1 || Steps > MaxSteps) p.Add($"steps (--steps) must be in 1..{MaxSteps}, got {Steps}");
        if (!(LearningRate > 0 && LearningRate <= 1)) p.Add($"learningRate (--lr) must be in (0, 1], got {LearningRate}");
        if (!(WeightDecay >= 0 && WeightDecay <= 1)) p.Add($"weightDecay must be in 0..1, got {WeightDecay}");
        if (!Enum.IsDefined(Optimizer)) p.Add($"optimizer must be one of adam, adamW, got {Optimizer}");
        if (!Enum.IsDefined(Schedule)) p.Add($"schedule must be one of step, warmupCosine, got {Schedule}");
        if (StepSize < 1 || StepSize > MaxSteps) p.Add($"stepSize must be in 1..{MaxSteps}, got {StepSize}");
        if (!(Gamma > 0 && Gamma <= 1)) p.Add($"gamma must be in (0, 1], got {Gamma}");
        if (WarmupSteps < 0 || WarmupSteps > Steps) p.Add($"warmupSteps must be in 0..steps ({Steps}), got {WarmupSteps}");
        if (CheckpointEvery < 1 || CheckpointEvery > MaxSteps) p.Add($"checkpointEvery must be in 1..{MaxSteps}, got {CheckpointEvery}");
        if (KeepLast < 1 || KeepLast > 100) p.Add($"keepLast must be in 1..100, got {KeepLast}");
        if (ValidationEvery < 0 || ValidationEvery > MaxSteps) p.Add($"validationEvery (--val-every) must be in 0..{MaxSteps}, got {ValidationEvery}");
        if (ValidationSamples < 1 || ValidationSamples > MaxValidationSamples) p.Add($"validationSamples must be in 1..{MaxValidationSamples}, got {ValidationSamples}");
        if (TorchThreads is < 1 or > MaxThreads) p.Add($"torchThreads (--threads) must be in 1..{MaxThreads}, got {TorchThreads}");
        if (LoaderWorkers < 1 || LoaderWorkers > 32) p.Add($"loaderWorkers must be in 1..32, got {LoaderWorkers}");
        return p;
    }
}
