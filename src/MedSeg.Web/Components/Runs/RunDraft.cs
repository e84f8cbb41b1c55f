using System.Globalization;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;

namespace MedSeg.Web.Components.Runs;

/// <summary>
/// The editable settings of a training run, as the configuration form binds them. Defaults are
/// <see cref="FdslOptions"/>'s (the paper's recipe). <see cref="Validate"/> names field and value in every message;
/// <see cref="ToOptions"/> maps to the trainer's options (run folder and spec file are the backend's business).
/// </summary>
public sealed class RunConfigModel
{
    public static readonly string[] Models = ["SwinUNETR", "UNETR", "BasicUNet"];
    public static readonly string[] Losses = ["dice", "dicece"];
    public static readonly string[] Devices = ["auto", "cpu", "cuda"];
    public static readonly string[] SpecPresets = ["paper-best", "code-default"];
    /// <summary>What each preset is: the paper's best setting, or the reference code's default (not the paper's).</summary>
    public static string SpecPresetLabel(string preset) => preset switch
    {
        "paper-best" => "paper-best: the paper's best (Table 1, 8 xy × 2 z = 16 classes)",
        "code-default" => "code-default: the reference code's (8 xy × 4 z = 32 classes; not the paper's best)",
        _ => preset,
    };
    /// <summary><see cref="SpecPreset"/> value meaning "the spec of the run this one clones" (<see cref="ClonedSpecJson"/>).</summary>
    public const string ClonedSpec = "cloned";

    public string Name { get; set; } = "";
    public RunMethod Method { get; set; } = RunMethod.FdslOnTheFly;
    /// <summary>The AVS-DB dataset for <see cref="RunMethod.FdslDataset"/>.</summary>
    public int? DatasetId { get; set; }
    /// <summary>Spec preset for <see cref="RunMethod.FdslOnTheFly"/>.</summary>
    public string SpecPreset { get; set; } = "paper-best";
    public int SpecVolumeSize { get; set; } = 128;
    /// <summary>The cloned run's on-the-fly spec, offered as <see cref="ClonedSpec"/>; null otherwise.</summary>
    public string? ClonedSpecJson { get; set; }
    public string Tags { get; set; } = "";

    public string Model { get; set; } = "SwinUNETR";
    public int FeatureSize { get; set; } = 48;

    public int Crop { get; set; } = 96;
    public int BatchSize { get; set; } = 8;
    public double LearningRate { get; set; } = 1e-4;
    public double WeightDecay { get; set; } = 1e-5;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    /// <summary>Warm-up steps; null = 10% of the total.</summary>
    public int? WarmupSteps { get; set; }
    public double EndLr { get; set; }
    /// <summary>Gradient clipping (null = off, as the paper).</summary>
    public double? MaxGradNorm { get; set; }
    /// <summary>How AVS-DB images enter the network (<see cref="InputIntensity"/>): "unit" (default, a choice) or "raw".</summary>
    public string InputIntensity { get; set; } = Training.Fdsl.InputIntensity.Default;
    public string Loss { get; set; } = "dice";
    public bool IncludeBackground { get; set; } = true;
    public int Samples { get; set; } = 5000;

    /// <summary>True: train for <see cref="Steps"/> optimiser steps; false: for <see cref="Epochs"/> passes over the samples.</summary>
    public bool UseSteps { get; set; }
    public int Steps { get; set; } = 10_000;
    public int Epochs { get; set; } = 100;

    public string Device { get; set; } = "auto";
    public long Seed { get; set; }
    public int CheckpointEvery { get; set; } = 1000;
    public int KeepLast { get; set; } = 3;
    public int ValidationEvery { get; set; } = 1000;
    public int ValidationSamples { get; set; } = 8;

    /// <summary>Optimiser steps this configuration trains for.</summary>
    public int TotalSteps => UseSteps ? Steps : (int)Math.Ceiling((double)Epochs * Math.Max(Samples, 0) / Math.Max(BatchSize, 1));

    /// <summary>Every problem, one message each, naming the field and the offending value. Empty = valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }

        Check(!string.IsNullOrWhiteSpace(Name), "Name is required.");
        Check(Name.Trim().Length <= 200, $"Name must be at most 200 characters, got {Name.Trim().Length}.");
        if (Method == RunMethod.FdslDataset)
            Check(DatasetId is > 0, "Dataset: choose a completed AVS-DB dataset.");
        else
        {
            if (SpecPreset == ClonedSpec && ClonedSpecJson is not null)
                Check(Crop <= ClonedVolumeSize(), $"Crop ({Crop}) must not exceed the cloned spec's volume size ({ClonedVolumeSize()}).");
            else
            {
                Check(SpecPresets.Contains(SpecPreset), $"Spec preset must be one of {string.Join(", ", SpecPresets)}, got '{SpecPreset}'.");
                Check(SpecVolumeSize is >= 8 and <= 1024, $"Volume size must be in 8..1024, got {SpecVolumeSize}.");
                Check(Crop <= SpecVolumeSize, $"Crop ({Crop}) must not exceed the generated volume size ({SpecVolumeSize}).");
            }
        }
        Check(Models.Contains(Model), $"Model must be one of {string.Join(", ", Models)}, got '{Model}'.");
        Check(FeatureSize > 0, $"Feature size must be positive, got {FeatureSize}.");
        if (Model == "SwinUNETR")
            Check(FeatureSize % 12 == 0, $"Feature size must be a multiple of 12 for SwinUNETR (its attention heads are 3, 6, 12, 24), got {FeatureSize}.");
        var divisor = ModelChoice.InputMultiple(Model);
        Check(Crop > 0 && Crop % divisor == 0, $"Crop must be a positive multiple of {divisor} for {Model}, got {Crop}.");
        Check(BatchSize > 0, $"Batch size must be positive, got {BatchSize}.");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), string.Create(c, $"Learning rate must be > 0, got {LearningRate}."));
        Check(WeightDecay >= 0, string.Create(c, $"Weight decay must be ≥ 0, got {WeightDecay}."));
        Check(Beta1 is >= 0 and < 1, string.Create(c, $"Beta1 must be in [0, 1), got {Beta1}."));
        Check(Beta2 is >= 0 and < 1, string.Create(c, $"Beta2 must be in [0, 1), got {Beta2}."));
        Check(EndLr >= 0 && EndLr <= LearningRate, string.Create(c, $"End learning rate must be in [0, learning rate {LearningRate}], got {EndLr}."));
        Check(Losses.Contains(Loss), $"Loss must be one of {string.Join(", ", Losses)}, got '{Loss}'.");
        Check(Training.Fdsl.InputIntensity.IsValid(InputIntensity), $"Input intensity must be raw or unit, got '{InputIntensity}'.");
        Check(MaxGradNorm is null || (double.IsFinite(MaxGradNorm.Value) && MaxGradNorm <= 1e6), string.Create(c, $"Gradient clip must be at most 1e6 (empty = off), got {MaxGradNorm}."));
        Check(Samples > 0, $"Samples must be positive, got {Samples}.");
        Check(Samples <= 0 || BatchSize <= Samples, $"Batch size ({BatchSize}) must not exceed the samples ({Samples}).");
        if (UseSteps) Check(Steps > 0, $"Steps must be positive, got {Steps}.");
        else Check(Epochs > 0, $"Epochs must be positive, got {Epochs}.");
        Check(WarmupSteps is null || WarmupSteps >= 0, $"Warm-up steps must be ≥ 0, got {WarmupSteps}.");
        Check(WarmupSteps is null || WarmupSteps < TotalSteps, $"Warm-up steps ({WarmupSteps}) must be fewer than the total steps ({TotalSteps}).");
        Check(Devices.Contains(Device), $"Device must be one of {string.Join(", ", Devices)}, got '{Device}'.");
        Check(Seed >= 0, $"Seed must be ≥ 0, got {Seed}.");
        Check(CheckpointEvery > 0, $"Checkpoint every must be positive (steps), got {CheckpointEvery}.");
        Check(KeepLast > 0, $"Keep last must be positive, got {KeepLast}.");
        Check(ValidationEvery >= 0, $"Validate every must be ≥ 0 (0 = off), got {ValidationEvery}.");
        Check(ValidationEvery == 0 || ValidationSamples > 0, $"Validation samples must be positive when validating, got {ValidationSamples}.");
        return errors;
    }

    public IReadOnlyList<string> TagList() =>
        Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The spec an on-the-fly run generates from.</summary>
    public AvsDbSpec Spec() => SpecPreset == ClonedSpec && ClonedSpecJson is not null
        ? AvsDbSpec.FromJson(ClonedSpecJson, "cloned run's spec")
        : AvsDbSpec.Preset(SpecPreset, SpecVolumeSize);

    private int ClonedVolumeSize()
    {
        try { return Spec().VolumeSize; }
        catch (AvsDbSpecException) { return 0; }
    }

    /// <summary>Trainer options (OutputDir, DatasetDir and SpecPath left for the backend to fill).</summary>
    public FdslOptions ToOptions() => new()
    {
        Seed = Seed, Model = Model, FeatureSize = FeatureSize, Crop = Crop, BatchSize = BatchSize,
        LearningRate = LearningRate, WeightDecay = WeightDecay, Beta1 = Beta1, Beta2 = Beta2,
        WarmupSteps = WarmupSteps, EndLr = EndLr, MaxGradNorm = MaxGradNorm, Loss = Loss, IncludeBackground = IncludeBackground,
        InputIntensity = InputIntensity, Samples = Samples, Steps = UseSteps ? Steps : null, Epochs = Epochs, Device = Device,
        CheckpointEvery = CheckpointEvery, KeepLast = KeepLast, ValidationEvery = ValidationEvery, ValidationSamples = ValidationSamples,
    };

    /// <summary>The form filled from an earlier run's options ("clone run").</summary>
    public static RunConfigModel From(FdslOptions o) => new()
    {
        Seed = o.Seed, Model = o.Model, FeatureSize = o.FeatureSize, Crop = o.Crop, BatchSize = o.BatchSize,
        LearningRate = o.LearningRate, WeightDecay = o.WeightDecay, Beta1 = o.Beta1, Beta2 = o.Beta2,
        WarmupSteps = o.WarmupSteps, EndLr = o.EndLr, MaxGradNorm = o.MaxGradNorm, Loss = o.Loss, IncludeBackground = o.IncludeBackground,
        // A run from before the rule was recorded fed raw values.
        InputIntensity = o.InputIntensity ?? Training.Fdsl.InputIntensity.Legacy, Samples = o.Samples, UseSteps = o.Steps is not null, Steps = o.Steps ?? 10_000, Epochs = o.Epochs, Device = o.Device,
        CheckpointEvery = o.CheckpointEvery, KeepLast = o.KeepLast, ValidationEvery = o.ValidationEvery, ValidationSamples = o.ValidationSamples,
    };
}
