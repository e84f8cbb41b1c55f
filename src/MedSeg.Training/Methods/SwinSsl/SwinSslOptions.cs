using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Training.Layout;
using MedSeg.Training.Loop;
using MedSeg.Training.Methods.Lwi;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// Settings of Swin UNETR self-supervised pretraining (Tang et al. 2022; MONAI research-contributions SwinUNETR/Pretrain):
/// feature size 48 (768-wide last stage), 96³ crops windowed −1000..1000 HU → [0, 1], two rotated + cut-out views per
/// crop, rotation CE + NT-Xent (T 0.5) + L1 reconstruction (weights 1, 1, 1), AdamW 4e-4 / wd 0.1, 500 warm-up steps,
/// cosine. Only the SwinUNETR encoder (<c>swinViT.</c>) is trained; it is what fine-tuning loads.
/// </summary>
public sealed record SwinSslOptions : IMethodOptions
{
    public string OutputDir { get; set; } = "";
    public bool Resume { get; set; }

    /// <summary>Dataset folder with a dataset.json (imported dataset, phantom, AVS-DB) or a plain folder of NIfTI images; labels are ignored.</summary>
    public string? SourceDir { get; set; }
    public int Samples { get; set; } = 5000;

    public int FeatureSize { get; set; } = 48;
    /// <summary>Further SwinUNETR arguments by MONAI name (e.g. depths, legacy_patch_merging=True for MONAI ≤ 1.4 weights).</summary>
    public Dictionary<string, string> ModelArgs { get; set; } = new();
    public AxisOrder AxisOrder { get; set; } = AxisOrders.Legacy;

    public int Crop { get; set; } = 96;
    public double Temperature { get; set; } = NtXentLoss.DefaultTemperature;
    public double RotWeight { get; set; } = 1.0;
    public double ContrastWeight { get; set; } = 1.0;
    public double RecWeight { get; set; } = 1.0;
    /// <summary>"min,max" → [0, 1] or "none".</summary>
    public string IntensityWindow { get; set; } = "-1000,1000";

    /// <summary>Crops per step; the network sees two views of each (2 × batch).</summary>
    public int BatchSize { get; set; } = 2;
    public int Steps { get; set; } = 1000;
    public int WarmupSteps { get; set; } = 500;
    public double LearningRate { get; set; } = 4e-4;
    public double WeightDecay { get; set; } = 0.1;
    public double? MaxGradNorm { get; set; }

    public long Seed { get; set; }
    public string Device { get; set; } = "auto";
    public int? TorchThreads { get; set; }
    public int CheckpointEvery { get; set; } = 500;
    public int KeepLast { get; set; } = 3;
    public int LoaderWorkers { get; set; } = 2;
    public int Prefetch { get; set; } = 4;

    /// <summary>Width of the last stage and of the heads' input (768 for feature size 48).</summary>
    [JsonIgnore]
    public int HeadDim => FeatureSize * 16;

    public IReadOnlyList<string> Problems()
    {
        var p = new ProblemList();
        if (string.IsNullOrWhiteSpace(OutputDir)) p.Add("Run folder (--out) is required.");
        if (string.IsNullOrWhiteSpace(SourceDir)) p.Add("Source (--source) is required: a dataset folder with dataset.json (imported dataset, phantom, AVS-DB) or a folder of NIfTI images.");
        p.Range("Samples (--samples)", Samples, 1, 10_000_000);
        p.Range("Feature size (--feature-size)", FeatureSize, 12, 384);
        if (FeatureSize % 12 != 0) p.Add($"Feature size (--feature-size) must be divisible by 12, got {FeatureSize}.");
        // Rotation reads token 0 and the contrastive head token 1 of the last stage (crop / 32 per axis): at least 2 tokens.
        p.Range("Crop (--crop)", Crop, 64, 512);
        if (Crop % 32 != 0) p.Add($"Crop (--crop) must be a multiple of 32 for SwinUNETR, got {Crop}.");
        p.Range("Temperature (--temperature)", Temperature, 0.01, 10);
        p.Range("Rotation weight (--rot-weight)", RotWeight, 0, 100);
        p.Range("Contrastive weight (--contrast-weight)", ContrastWeight, 0, 100);
        p.Range("Reconstruction weight (--rec-weight)", RecWeight, 0, 100);
        if (RotWeight == 0 && ContrastWeight == 0 && RecWeight == 0) p.Add("The three loss weights cannot all be 0.");
        try { Lwi.IntensityWindow.Parse(IntensityWindow, "Intensity window (--window)"); }
        catch (ArgumentException e) { p.Add(e.Message); }
        // NT-Xent needs a negative: two crops at least.
        p.Range("Batch (--batch)", BatchSize, 2, 256);
        p.Range("Steps (--steps)", Steps, 1, 10_000_000);
        p.Range("Warm-up (--warmup)", WarmupSteps, 0, Steps);
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

    public LoopSettings ToLoopSettings() => new()
    {
        OutputDir = OutputDir, Seed = Seed, Device = Device, TorchThreads = TorchThreads, AxisOrder = AxisOrder,
        LearningRate = LearningRate, WeightDecay = WeightDecay, TotalSteps = Steps, WarmupSteps = Math.Min(WarmupSteps, Steps),
        MaxGradNorm = MaxGradNorm, BatchSize = BatchSize, Crop = $"{Crop}³", CheckpointEvery = CheckpointEvery,
        KeepLast = KeepLast, ValidationEvery = 0, LoaderWorkers = LoaderWorkers, Prefetch = Prefetch, Resume = Resume,
        OutOfMemoryHint = "reduce --batch, --crop or --feature-size",
    };

    public string ToJson() => JsonSerializer.Serialize(this, LwiOptions.Json);

    public static SwinSslOptions FromJson(JsonElement json) =>
        json.Deserialize<SwinSslOptions>(LwiOptions.Json) ?? throw new JsonException("Swin SSL options: null.");
}
