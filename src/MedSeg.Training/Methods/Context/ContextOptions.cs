using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.ContextFeatures;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// Options of a 2.5D context pretraining run (HEATMAP or REG2D over the three axes). Defaults are the paper's
/// (ssl-methods-reference §3): Adam 5e-5, batch 8, 8e5 iterations, fixed out-of-plane shift ±[0.125, 0.25], in-plane
/// curriculum min 0.25 → 0 and max 0.3 → 0.7, corners aligned as PyTorch 1.0's grid_sample.
/// </summary>
public sealed record ContextOptions : IMethodOptions
{
    public const int MaxSteps = 10_000_000;
    public const int MaxBatch = 256;

    public string OutputDir { get; init; } = "";
    public bool Resume { get; init; }

    /// <summary>Folder of unlabelled volumes (a dataset folder, its imagesTr/, or any folder of NIfTI files).</summary>
    public string Source { get; init; } = "";

    [JsonConverter(typeof(JsonStringEnumConverter<ContextTask>))]
    public ContextTask Task { get; init; } = ContextTask.Heatmap;

    public int Steps { get; init; } = 800_000;
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 5e-5;
    public long Seed { get; init; }

    /// <summary>Paper (default) or the notebook's axis mapping (see <see cref="ContextAxisMapping"/>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ContextAxisMapping>))]
    public ContextAxisMapping AxisMapping { get; init; } = ContextAxisMapping.Paper;

    public bool AlignCorners { get; init; } = true;
    public double CentreRange { get; init; } = 0.3;
    public double FixedMin { get; init; } = 0.125;
    public double FixedMax { get; init; } = 0.25;
    public double CurriculumMinStart { get; init; } = 0.25;
    public double CurriculumMinEnd { get; init; } = 0.0;
    public double CurriculumMaxStart { get; init; } = 0.3;
    public double CurriculumMaxEnd { get; init; } = 0.7;

    public int CheckpointEvery { get; init; } = 1000;
    public string Device { get; init; } = "auto";
    public int? TorchThreads { get; init; }

    /// <summary>Volumes kept in memory at once (z-normalised float32).</summary>
    public int CachedVolumes { get; init; } = 32;

    [JsonIgnore]
    public ContextCurriculum Curriculum => new(CurriculumMinStart, CurriculumMinEnd, CurriculumMaxStart, CurriculumMaxEnd);

    public ContextPairSamplerSettings SamplerSettings() => new()
    {
        Seed = Seed, BatchSize = BatchSize, TotalSteps = Steps, Mapping = AxisMapping, Curriculum = Curriculum,
        CentreRange = CentreRange, FixedMin = FixedMin, FixedMax = FixedMax, AlignCorners = AlignCorners,
    };

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDir)) p.Add("Output folder: required.");
        if (string.IsNullOrWhiteSpace(Source)) p.Add("Source: a folder of unlabelled volumes is required.");
        if (Steps is < 1 or > MaxSteps) p.Add($"Steps: {Steps} is outside 1..{MaxSteps}.");
        if (BatchSize is < 1 or > MaxBatch) p.Add($"Batch size: {BatchSize} is outside 1..{MaxBatch}.");
        if (!(LearningRate > 0 && LearningRate <= 1)) p.Add($"Learning rate: {LearningRate} is outside (0, 1].");
        if (Seed < 0) p.Add($"Seed: {Seed} must be ≥ 0.");
        if (CheckpointEvery is < 1 or > MaxSteps) p.Add($"Checkpoint every: {CheckpointEvery} is outside 1..{MaxSteps}.");
        if (TorchThreads is < 1 or > 256) p.Add($"Torch threads: {TorchThreads} is outside 1..256.");
        if (CachedVolumes is < 1 or > 10_000) p.Add($"Cached volumes: {CachedVolumes} is outside 1..10000.");
        p.AddRange(SamplerSettings().Problems());
        return p;
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ContextOptions FromJson(string json) => JsonSerializer.Deserialize<ContextOptions>(json, Json)
        ?? throw new JsonException("Context options: the JSON is null.");
}
