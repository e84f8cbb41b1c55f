using System.Globalization;
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
    /// <summary>On CUDA, cuDNN autotunes convolution algorithms for the (fixed) crop shape; no effect on CPU.</summary>
    public bool CudnnBenchmark { get; set; } = true;
    /// <summary>fp32 (default) or bf16: mixed precision with fp32 master weights and optimizer state (Devices.Bf16Backbone).</summary>
    public string Precision { get; set; } = Devices.TrainingPrecision.Fp32;
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

    /// <summary>Most steps a run may have (every number a user can type has an upper bound).</summary>
    public const int MaxSteps = 1_000_000_000;
    public static readonly string[] Losses = ["dice", "dicece"];

    /// <summary>
    /// Every value that cannot work, one message each naming the field (and its CLI flag), the value and the limit; empty =
    /// valid. The one rule set for the CLI, the portal's API and its run form. (Whether <see cref="Model"/> is a network
    /// the factory knows is checked where the network is built.)
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        void Fail(string field, object? value, string rule) =>
            problems.Add(string.Format(c, "FdslOptions.{0} must be {1}, got {2}.", field, rule, value switch
            {
                null => "null",
                string text => $"'{text}'",
                double d => d.ToString("R", c),
                _ => Convert.ToString(value, c),
            }));
        void Count(long v, string field, long max)
        {
            if (v <= 0) Fail(field, v, "positive");
            else if (v > max) Fail(field, v, $"at most {max.ToString("N0", c)}");
        }
        void Real(double v, string field, double min, double max, bool minOpen = false)
        {
            if (!double.IsFinite(v) || v < min || (minOpen && v == min) || v > max)
                Fail(field, v, minOpen ? $"> {min.ToString(c)} and ≤ {max.ToString(c)}" : $"in [{min.ToString(c)}, {max.ToString(c)}]");
        }

        if (string.IsNullOrWhiteSpace(OutputDir)) problems.Add("FdslOptions.OutputDir (--out) is required.");
        if (Seed < 0) Fail("Seed (--seed)", Seed, "≥ 0");
        if (string.IsNullOrWhiteSpace(Model)) Fail("Model (--model)", Model, "a network name");
        Count(FeatureSize, "FeatureSize (--feature-size)", 1024);
        if (FeatureSize > 0 && string.Equals(Model, "SwinUNETR", StringComparison.OrdinalIgnoreCase) && FeatureSize % 12 != 0)
            Fail("FeatureSize (--feature-size)", FeatureSize, "a multiple of 12 for SwinUNETR (its attention heads are 3, 6, 12, 24)");
        Count(Crop, "Crop (--crop)", 1024);
        if (Crop > 0 && !string.IsNullOrWhiteSpace(Model) && ModelChoice.InputMultiple(Model, ModelArgs) is var multiple && Crop % multiple != 0)
            Fail("Crop (--crop)", Crop, $"a multiple of {multiple} for {Model}");
        Count(BatchSize, "BatchSize (--batch)", 4096);
        Count(Samples, "Samples (--samples)", 10_000_000);
        if (BatchSize > 0 && Samples > 0 && BatchSize > Samples) Fail("BatchSize (--batch)", BatchSize, $"at most the samples ({Samples})");
        Real(LearningRate, "LearningRate (--lr)", 0, 10, minOpen: true);
        Real(WeightDecay, "WeightDecay (--weight-decay)", 0, 10);
        if (!(Beta1 >= 0 && Beta1 < 1)) Fail("Beta1", Beta1, "in [0, 1)");
        if (!(Beta2 >= 0 && Beta2 < 1)) Fail("Beta2", Beta2, "in [0, 1)");
        Real(Eps, "Eps", 0, 1, minOpen: true);
        Real(EndLr, "EndLr", 0, double.IsFinite(LearningRate) && LearningRate > 0 ? LearningRate : 0);
        Real(WarmupMultiplier, "WarmupMultiplier", 0, 1);
        Real(Cycles, "Cycles", 0, 100, minOpen: true);
        if (MaxGradNorm is double clip && (!double.IsFinite(clip) || clip > 1e6)) Fail("MaxGradNorm (--max-grad-norm)", clip, "at most 1e6 (≤ 0 or empty = off)");
        if (!Losses.Contains(Loss)) Fail("Loss (--loss)", Loss, "'dice' or 'dicece'");
        if (InputIntensity is not null && !Fdsl.InputIntensity.IsValid(InputIntensity))
            Fail("InputIntensity (--input-intensity)", InputIntensity, $"'{Fdsl.InputIntensity.Raw}' or '{Fdsl.InputIntensity.Unit}'");
        if (Steps is int s) Count(s, "Steps (--steps)", MaxSteps); else Count(Epochs, "Epochs (--epochs)", 1_000_000);
        long total = Steps ?? (BatchSize > 0 ? (long)Math.Ceiling((double)Epochs * Samples / BatchSize) : 0);
        if (Steps is null && Epochs > 0 && total > MaxSteps) Fail("Epochs (--epochs)", Epochs, $"at most {MaxSteps.ToString("N0", c)} steps in all ({total.ToString("N0", c)} here)");
        if (WarmupSteps is int w && (w < 0 || (total > 0 && w >= total))) Fail("WarmupSteps (--warmup)", w, $"≥ 0 and fewer than the total steps ({total})");
        if (Device is not ("auto" or "cpu" or "cuda") && !(Device?.StartsWith("cuda:", StringComparison.Ordinal) == true && int.TryParse(Device.AsSpan(5), NumberStyles.None, c, out _)))
            Fail("Device (--device)", Device, "auto, cpu, cuda or cuda:N");
        if (!Devices.TrainingPrecision.IsValid(Precision)) Fail("Precision (--precision)", Precision, $"'{Devices.TrainingPrecision.Fp32}' or '{Devices.TrainingPrecision.Bf16}'");
        if (TorchThreads is int threads && threads is < 1 or > 1024) Fail("TorchThreads (--threads)", threads, "in 1..1024 (empty = libtorch's default)");
        Count(CheckpointEvery, "CheckpointEvery (--checkpoint-every)", MaxSteps);
        Count(KeepLast, "KeepLast (--keep-last)", 1000);
        if (ValidationEvery < 0 || ValidationEvery > MaxSteps) Fail("ValidationEvery (--val-every)", ValidationEvery, $"in 0..{MaxSteps.ToString("N0", c)} (0 = off)");
        if (ValidationEvery > 0 || ValidationSamples != new FdslOptions().ValidationSamples) Count(ValidationSamples, "ValidationSamples (--val-samples)", 10_000);
        Count(LoaderWorkers, "LoaderWorkers (--workers)", 64);
        Count(Prefetch, "Prefetch", 1024);
        return problems;
    }
}
