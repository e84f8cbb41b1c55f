using MedSeg.Training.Methods;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// Settings of an FDSL pretraining run. Defaults follow the paper's recipe (96³ crops, batch 8, AdamW with
/// lr 1e-4 and weight decay 1e-5, warm-up cosine schedule, Dice loss with softmax, one-hot targets and the
/// background channel, 5,000 synthetic samples, no gradient clipping); what the paper leaves open is a recorded choice
/// named as such: the warm-up length (10%), the input intensity (unit) and the axis order (MONAI's). Everything can be overridden.
/// Mixed precision is not offered: TorchSharp 0.107 ships no autocast/GradScaler, and casting the model to
/// bf16 by hand would also put AdamW's moments and the master weights in bf16, which changes the optimiser.
/// </summary>
public sealed class FdslOptions : IMethodOptions
{
    /// <summary>Run folder (config.json, metrics, checkpoints, status.json, log.txt).</summary>
    public string OutputDir { get; set; } = "";

    /// <summary>A generated dataset folder (dataset.json + NIfTI). Exclusive with <see cref="SpecPath"/>.</summary>
    public string? DatasetDir { get; set; }

    /// <summary>An AVS-DB spec JSON: samples are generated on the fly from it and <see cref="Seed"/>.</summary>
    public string? SpecPath { get; set; }

    public long Seed { get; set; } = 0;

    public string Model { get; set; } = "SwinUNETR";
    public int FeatureSize { get; set; } = 48;
    /// <summary>Further constructor arguments for the model factory, by MONAI parameter name.</summary>
    public Dictionary<string, string> ModelArgs { get; set; } = new();
    /// <summary>
    /// Tensor axis order of the network's input (<see cref="Layout.AxisOrder"/>); null = MonaiXyz for a new run (as MONAI, so
    /// the weights work there unchanged) and the checkpoint's order for a resumed one (runs from before the field: Zyx).
    /// </summary>
    public Layout.AxisOrder? AxisOrder { get; set; }

    public int Crop { get; set; } = 96;
    public int BatchSize { get; set; } = 8;
    public double LearningRate { get; set; } = 1e-4;
    public double WeightDecay { get; set; } = 1e-5;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Eps { get; set; } = 1e-8;

    /// <summary>Warm-up steps; null = 10% of the total steps (a project choice: the paper names a warm-up, not its length).</summary>
    public int? WarmupSteps { get; set; }
    public double EndLr { get; set; } = 0.0;
    public double WarmupMultiplier { get; set; } = 0.0;
    public double Cycles { get; set; } = 0.5;

    /// <summary>
    /// Gradient clipping by global L2 norm; null or ≤ 0 = off. Off by default: the paper names none (1.0 was this
    /// project's default before; a resume must use the value its run was started with).
    /// </summary>
    public double? MaxGradNorm { get; set; }

    /// <summary>
    /// How images enter the network (<see cref="Fdsl.InputIntensity"/>): "unit" (each volume scaled to 0..1, like
    /// downstream inputs) or "raw" (stored values, AVS-DB's 0/128 outlines). Not in the paper: a recorded choice.
    /// null = unit for a new run, the recorded rule for a resumed one (runs from before the field: raw).
    /// </summary>
    public string? InputIntensity { get; set; }

    /// <summary>"dice" (paper) or "dicece".</summary>
    public string Loss { get; set; } = "dice";
    public bool IncludeBackground { get; set; } = true;

    /// <summary>Distinct training samples (one epoch). For a dataset folder: capped at its size.</summary>
    public int Samples { get; set; } = 5000;

    /// <summary>Total optimiser steps; when null, <see cref="Epochs"/> × samples / batch.</summary>
    public int? Steps { get; set; }
    public int Epochs { get; set; } = 100;

    public string Device { get; set; } = "auto";
    /// <summary>On CUDA, let matmuls and cuDNN convolutions use TF32 (the speed PyTorch gets on Ampere+; no effect on CPU).</summary>
    public bool AllowTf32 { get; set; } = true;
    /// <summary>torch intra-op threads; null = libtorch default.</summary>
    public int? TorchThreads { get; set; }

    public int CheckpointEvery { get; set; } = 1000;
    public int KeepLast { get; set; } = 3;
    /// <summary>Validation every N steps (0 = off) on <see cref="ValidationSamples"/> held-out samples.</summary>
    public int ValidationEvery { get; set; } = 1000;
    public int ValidationSamples { get; set; } = 8;

    public int LoaderWorkers { get; set; } = 2;
    public int Prefetch { get; set; } = 4;

    /// <summary>Continue from the newest checkpoint in the run folder.</summary>
    public bool Resume { get; set; }

    public int TotalSteps(int sampleCount)
    {
        if (Steps is int s) return s;
        return (int)Math.Ceiling((double)Epochs * sampleCount / BatchSize);
    }

    public int EffectiveWarmup(int totalSteps) => WarmupSteps ?? (int)(0.1 * totalSteps);

    /// <summary>Rejects values that cannot work, naming every bad field (see <see cref="Problems"/>).</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
    }

    /// <summary>Every value that cannot work, each message naming the field (and its CLI flag) and the value.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDir)) problems.Add("FdslOptions.OutputDir (--out) is required.");
        Positive(Crop, "Crop (--crop)"); Positive(BatchSize, "BatchSize (--batch)"); Positive(Samples, "Samples (--samples)");
        Positive(CheckpointEvery, "CheckpointEvery (--checkpoint-every)"); Positive(KeepLast, "KeepLast (--keep-last)");
        Positive(LoaderWorkers, "LoaderWorkers"); Positive(Prefetch, "Prefetch"); Positive(FeatureSize, "FeatureSize (--feature-size)");
        if (Steps is int s) Positive(s, "Steps (--steps)"); else Positive(Epochs, "Epochs (--epochs)");
        if (!(LearningRate > 0)) problems.Add($"FdslOptions.LearningRate (--lr) must be > 0, got {LearningRate}.");
        if (WeightDecay < 0) problems.Add($"FdslOptions.WeightDecay (--weight-decay) must be ≥ 0, got {WeightDecay}.");
        if (ValidationEvery < 0) problems.Add($"FdslOptions.ValidationEvery (--val-every) must be ≥ 0, got {ValidationEvery}.");
        if (WarmupSteps < 0) problems.Add($"FdslOptions.WarmupSteps (--warmup) must be ≥ 0, got {WarmupSteps}.");
        if (Loss is not ("dice" or "dicece")) problems.Add($"FdslOptions.Loss must be 'dice' or 'dicece', got '{Loss}'.");
        if (InputIntensity is not null && !Fdsl.InputIntensity.IsValid(InputIntensity))
            problems.Add($"FdslOptions.InputIntensity (--input-intensity) must be '{Fdsl.InputIntensity.Raw}' or '{Fdsl.InputIntensity.Unit}', got '{InputIntensity}'.");
        if (MaxGradNorm is double clip && !(double.IsFinite(clip) && clip <= 1e6))
            problems.Add($"FdslOptions.MaxGradNorm (--max-grad-norm) must be a finite number ≤ 1e6 (≤ 0 = off), got {clip}.");
        return problems;

        void Positive(int v, string name)
        {
            if (v <= 0) problems.Add($"FdslOptions.{name} must be positive, got {v}.");
        }
    }
}
