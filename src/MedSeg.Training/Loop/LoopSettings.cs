namespace MedSeg.Training.Loop;

/// <summary>
/// What <see cref="SegmentationTrainingLoop"/> needs from a run type's options (FDSL pretraining, fine-tuning):
/// optimiser, schedule, checkpointing, validation cadence, loader and device settings.
/// </summary>
public sealed record LoopSettings
{
    public required string OutputDir { get; init; }
    public long Seed { get; init; }
    public string Device { get; init; } = "auto";
    public bool AllowTf32 { get; init; } = true;
    /// <summary>On CUDA, cuDNN autotunes convolution algorithms per input shape (fixed crops: worth it). Process-wide.</summary>
    public bool CudnnBenchmark { get; init; } = true;
    /// <summary><see cref="Devices.TrainingPrecision"/>: fp32, or bf16 mixed precision with fp32 master weights.</summary>
    public string Precision { get; init; } = Devices.TrainingPrecision.Fp32;
    /// <summary>
    /// torch intra-op threads (null = libtorch's default). Process-wide in libtorch: runs sharing a process should agree,
    /// and bit-exact resume assumes the same count as the interrupted session.
    /// </summary>
    public int? TorchThreads { get; init; }
    /// <summary>How volumes map onto the network's tensor axes; recorded in checkpoints, a resume must match.</summary>
    public Layout.AxisOrder AxisOrder { get; init; } = Layout.AxisOrders.Default;

    /// <summary>AdamW (default) or Adam, both with <see cref="Beta1"/>, <see cref="Beta2"/>, <see cref="Eps"/>, <see cref="WeightDecay"/>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    /// <summary>Warm-up cosine (default: <see cref="WarmupSteps"/>, <see cref="EndLr"/>, <see cref="Cycles"/>) or StepLR (<see cref="StepSize"/>, <see cref="Gamma"/>).</summary>
    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.WarmupCosine;
    /// <summary>StepLR: the rate is multiplied by <see cref="Gamma"/> every this many steps.</summary>
    public int StepSize { get; init; } = 1;
    public double Gamma { get; init; } = 0.5;
    public double LearningRate { get; init; } = 1e-4;
    public double WeightDecay { get; init; } = 1e-5;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public required int TotalSteps { get; init; }
    public required int WarmupSteps { get; init; }
    public double EndLr { get; init; }
    public double WarmupMultiplier { get; init; }
    public double Cycles { get; init; } = 0.5;
    public double? MaxGradNorm { get; init; }

    public required int BatchSize { get; init; }
    /// <summary>Patch size as text (e.g. "32³"); a resumed run must use the same.</summary>
    public required string Crop { get; init; }

    public int CheckpointEvery { get; init; } = 1000;
    public int KeepLast { get; init; } = 3;
    /// <summary>Validate every N steps (0 = off); the last step is always validated when on.</summary>
    public int ValidationEvery { get; init; }
    public int LoaderWorkers { get; init; } = 2;
    public int Prefetch { get; init; } = 4;
    public bool Resume { get; init; }

    /// <summary>
    /// The optimiser and schedule as recorded in every checkpoint's state.json and checked on resume; null for the default
    /// (AdamW + warm-up cosine, whose settings the checkpoint already holds), so those runs' files stay as they were.
    /// </summary>
    public string? OptimizerRecord => (Optimizer, Schedule) switch
    {
        (OptimizerKind.AdamW, LrScheduleKind.WarmupCosine) => null,
        (_, LrScheduleKind.Step) => FormattableString.Invariant($"{Optimizer.ToString().ToLowerInvariant()} + StepLR(step_size={StepSize}, gamma={Gamma:R})"),
        _ => $"{Optimizer.ToString().ToLowerInvariant()} + warm-up cosine",
    };

    /// <summary>Appended to an out-of-memory message, e.g. "reduce --batch or --crop".</summary>
    public string OutOfMemoryHint { get; init; } = "reduce --batch or the patch size";
}
