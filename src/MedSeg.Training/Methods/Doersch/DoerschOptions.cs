using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Training.Methods.Doersch;

/// <summary>
/// Options of a 3D Doersch pretraining run (ssl-methods-reference §3): 25³ cubes, centre U(±0.5), neighbour ±0.45 along one
/// axis, 6 classes, CE; Adam 5e-5, batch 8, 8e5 iterations.
/// </summary>
public sealed record DoerschOptions : IMethodOptions
{
    public const int MaxSteps = 10_000_000;
    public const int MaxBatch = 256;

    public string OutputDir { get; init; } = "";
    public bool Resume { get; init; }
    public string Source { get; init; } = "";
    public int Steps { get; init; } = 800_000;
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 5e-5;
    public long Seed { get; init; }
    public double CentreRange { get; init; } = 0.5;
    public bool AlignCorners { get; init; } = true;
    public int CheckpointEvery { get; init; } = 1000;
    public string Device { get; init; } = "auto";
    public int? TorchThreads { get; init; }
    public int CachedVolumes { get; init; } = 32;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDir)) p.Add("Output folder: required.");
        if (string.IsNullOrWhiteSpace(Source)) p.Add("Source: a folder of unlabelled volumes is required.");
        if (Steps is < 1 or > MaxSteps) p.Add($"Steps: {Steps} is outside 1..{MaxSteps}.");
        if (BatchSize is < 1 or > MaxBatch) p.Add($"Batch size: {BatchSize} is outside 1..{MaxBatch}.");
        if (!(LearningRate > 0 && LearningRate <= 1)) p.Add($"Learning rate: {LearningRate} is outside (0, 1].");
        if (Seed < 0) p.Add($"Seed: {Seed} must be ≥ 0.");
        if (!(CentreRange is >= 0 and <= 1)) p.Add($"Centre range: {CentreRange} is outside 0..1.");
        if (CheckpointEvery is < 1 or > MaxSteps) p.Add($"Checkpoint every: {CheckpointEvery} is outside 1..{MaxSteps}.");
        if (TorchThreads is < 1 or > 256) p.Add($"Torch threads: {TorchThreads} is outside 1..256.");
        if (CachedVolumes is < 1 or > 10_000) p.Add($"Cached volumes: {CachedVolumes} is outside 1..10000.");
        return p;
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DoerschOptions FromJson(string json) => JsonSerializer.Deserialize<DoerschOptions>(json, Json)
        ?? throw new JsonException("Doersch options: the JSON is null.");
}
