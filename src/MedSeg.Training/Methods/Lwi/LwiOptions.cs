using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Training.Layout;
using MedSeg.Training.Loop;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// Settings of an LWI (Learnable Weight Initialization, Kunhimon et al.) self-supervised stage. Defaults are the
/// paper's UNETR recipe: 96³ crops, depth cut into 6 chunks of 16 slices, 40 % of the 16³ cubes masked, per-sample
/// permutation and mask, MSE reconstruction + order CE on hidden states 3, 6, 9 and the final output (weights 1, 1),
/// AdamW 1e-4 / wd 1e-5, warm-up cosine. <see cref="Variant"/> "code-compatible" reproduces the authors' code (one
/// permutation and mask per batch; tokens grouped along the first tensor axis).
/// </summary>
public sealed record LwiOptions : IMethodOptions
{
    public const string Paper = "paper", CodeCompatible = "code-compatible";

    /// <summary>Run folder.</summary>
    public string OutputDir { get; set; } = "";
    public bool Resume { get; set; }

    /// <summary>Dataset folder with a dataset.json (imported dataset, phantom, AVS-DB) or a plain folder of NIfTI images; labels are ignored.</summary>
    public string? DatasetDir { get; set; }
    /// <summary>Training volumes used at most (one epoch).</summary>
    public int Samples { get; set; } = 5000;

    /// <summary>"UNETR" (paper) or "SwinUNETR" (heads on the four encoder stages).</summary>
    public string Model { get; set; } = "UNETR";
    public int FeatureSize { get; set; } = 16;
    /// <summary>Further constructor arguments by MONAI name (e.g. hidden_size for a tiny UNETR).</summary>
    public Dictionary<string, string> ModelArgs { get; set; } = new();
    public AxisOrder AxisOrder { get; set; } = AxisOrders.Legacy;

    public int Crop { get; set; } = 96;
    /// <summary>Depth chunks; null = crop / 16 for UNETR (6 at 96³), crop / 32 for SwinUNETR (so every stage's tokens fall inside one chunk).</summary>
    public int? Chunks { get; set; }
    public double MaskRatio { get; set; } = 0.4;
    public int MaskPatch { get; set; } = 16;
    /// <summary>"paper" (default) or "code-compatible".</summary>
    public string Variant { get; set; } = Paper;
    public double RecWeight { get; set; } = 1.0;
    public double OrderWeight { get; set; } = 1.0;
    /// <summary>"min,max" → [0, 1] (the authors' −175..250 HU) or "none" for data already normalised.</summary>
    public string IntensityWindow { get; set; } = "-175,250";

    public int BatchSize { get; set; } = 2;
    public int Steps { get; set; } = 1000;
    /// <summary>Warm-up steps; null = 10 % of the steps.</summary>
    public int? WarmupSteps { get; set; }
    public double LearningRate { get; set; } = 1e-4;
    public double WeightDecay { get; set; } = 1e-5;
    /// <summary>Gradient clipping by global norm; null = off.</summary>
    public double? MaxGradNorm { get; set; }

    public long Seed { get; set; }
    public string Device { get; set; } = "auto";
    public int? TorchThreads { get; set; }
    public int CheckpointEvery { get; set; } = 500;
    public int KeepLast { get; set; } = 3;
    public int LoaderWorkers { get; set; } = 2;
    public int Prefetch { get; set; } = 4;

    [JsonIgnore]
    public bool IsSwin => Model.Equals("SwinUNETR", StringComparison.OrdinalIgnoreCase);

    /// <summary>Coarsest token stride of the tapped features: a chunk must hold whole tokens of every head.</summary>
    [JsonIgnore]
    public int TokenStride => IsSwin ? 32 : 16;

    [JsonIgnore]
    public int EffectiveChunks => Chunks ?? Math.Max(2, Crop / TokenStride);
    [JsonIgnore]
    public int EffectiveWarmup => WarmupSteps ?? Steps / 10;
    [JsonIgnore]
    public bool IsCodeCompatible => Variant == CodeCompatible;

    /// <summary>Tensor spatial axis of the depth (Z): first in zyx order, last in MONAI's; the code groups along the first.</summary>
    [JsonIgnore]
    public int PoolAxis => IsCodeCompatible || AxisOrder == AxisOrder.Zyx ? 0 : 2;

    public IReadOnlyList<string> Problems()
    {
        var p = new ProblemList();
        if (string.IsNullOrWhiteSpace(OutputDir)) p.Add("Run folder (--out) is required.");
        if (string.IsNullOrWhiteSpace(DatasetDir)) p.Add("Dataset (--dataset) is required: a dataset folder with dataset.json (imported dataset, phantom, AVS-DB) or a folder of NIfTI images.");
        if (!Model.Equals("UNETR", StringComparison.OrdinalIgnoreCase) && !IsSwin)
            p.Add($"Model (--model) must be UNETR or SwinUNETR for LWI, got '{Model}'.");
        p.Range("Samples (--samples)", Samples, 1, 10_000_000);
        p.Range("Feature size (--feature-size)", FeatureSize, 1, 1024);
        if (IsSwin && FeatureSize % 12 != 0) p.Add($"Feature size (--feature-size) must be divisible by 12 for SwinUNETR, got {FeatureSize}.");
        p.Range("Crop (--crop)", Crop, TokenStride, 512);
        if (Crop % TokenStride != 0) p.Add($"Crop (--crop) must be a multiple of {TokenStride} for {Model}, got {Crop}.");
        int chunks = EffectiveChunks;
        p.Range("Chunks (--chunks)", chunks, 2, 64);
        if (chunks >= 2 && Crop % chunks != 0) p.Add($"Chunks (--chunks) must divide the crop {Crop}, got {chunks}.");
        else if (chunks >= 2 && Crop / chunks % TokenStride != 0)
            p.Add($"Chunks (--chunks) must cut the crop {Crop} into chunks of a multiple of {TokenStride} slices (the {Model} token stride), got {chunks} chunks of {Crop / (double)chunks} slices.");
        p.Range("Mask ratio (--mask-ratio)", MaskRatio, 0, 0.95);
        p.Range("Mask patch (--mask-patch)", MaskPatch, 1, 512);
        if (MaskPatch >= 1 && Crop % MaskPatch != 0) p.Add($"Mask patch (--mask-patch) must divide the crop {Crop}, got {MaskPatch}.");
        if (Variant is not (Paper or CodeCompatible)) p.Add($"Variant (--variant) must be '{Paper}' or '{CodeCompatible}', got '{Variant}'.");
        p.Range("Reconstruction weight (--rec-weight)", RecWeight, 0, 100);
        p.Range("Order weight (--order-weight)", OrderWeight, 0, 100);
        if (RecWeight == 0 && OrderWeight == 0) p.Add("Reconstruction weight and order weight cannot both be 0.");
        try { Lwi.IntensityWindow.Parse(IntensityWindow, "Intensity window (--window)"); }
        catch (ArgumentException e) { p.Add(e.Message); }
        p.Range("Batch (--batch)", BatchSize, 1, 256);
        p.Range("Steps (--steps)", Steps, 1, 10_000_000);
        if (WarmupSteps is int w) p.Range("Warm-up (--warmup)", w, 0, Steps);
        p.Range("Learning rate (--lr)", LearningRate, 0, 1, minExclusive: true);
        p.Range("Weight decay (--weight-decay)", WeightDecay, 0, 10);
        if (MaxGradNorm is double g) p.Range("Gradient clipping (--max-grad-norm)", g, 0, 1e6, minExclusive: true);
        if (TorchThreads is int t) p.Range("Threads (--threads)", t, 1, 1024);
        p.Range("Checkpoint every (--checkpoint-every)", CheckpointEvery, 1, 10_000_000);
        p.Range("Keep last (--keep-last)", KeepLast, 1, 1000);
        p.Range("Loader workers", LoaderWorkers, 1, 64);
        p.Range("Prefetch", Prefetch, 1, 256);
        return p.Items;
    }

    /// <summary>The shared loop's settings (AdamW + warm-up cosine, checkpoints, device).</summary>
    public LoopSettings ToLoopSettings() => new()
    {
        OutputDir = OutputDir, Seed = Seed, Device = Device, TorchThreads = TorchThreads, AxisOrder = AxisOrder,
        LearningRate = LearningRate, WeightDecay = WeightDecay, TotalSteps = Steps, WarmupSteps = EffectiveWarmup,
        MaxGradNorm = MaxGradNorm, BatchSize = BatchSize, Crop = $"{Crop}³", CheckpointEvery = CheckpointEvery,
        KeepLast = KeepLast, ValidationEvery = 0, LoaderWorkers = LoaderWorkers, Prefetch = Prefetch, Resume = Resume,
        OutOfMemoryHint = "reduce --batch or --crop",
    };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Unknown fields are refused (naming them); missing ones keep their defaults.</summary>
    public static LwiOptions FromJson(JsonElement json) =>
        json.Deserialize<LwiOptions>(Json) ?? throw new JsonException("LWI options: null.");
}
