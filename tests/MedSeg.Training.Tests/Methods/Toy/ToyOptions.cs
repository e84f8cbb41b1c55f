using MedSeg.Training.Layout;
using MedSeg.Training.Methods;

namespace MedSeg.Training.Tests.Methods.Toy;

/// <summary>The toy method's options record: owns its defaults, its JSON (camelCase) and its problems.</summary>
public sealed record ToyOptions : IMethodOptions
{
    public string OutputDir { get; init; } = "";
    public bool Resume { get; init; }
    public long Seed { get; init; } = 3;
    public int Steps { get; init; } = 8;
    public int Crop { get; init; } = 8;
    public int BatchSize { get; init; } = 2;
    public int Width { get; init; } = 4;
    public double LearningRate { get; init; } = 1e-2;
    public int CheckpointEvery { get; init; } = 3;
    /// <summary>MONAI order, so the spatial extra array goes through the same reordering as the images.</summary>
    public AxisOrder AxisOrder { get; init; } = AxisOrder.MonaiXyz;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDir)) problems.Add("ToyOptions.OutputDir is required.");
        if (Steps is < 1 or > 1000) problems.Add($"ToyOptions.Steps must be 1–1000, got {Steps}.");
        if (Crop is < 4 or > 32) problems.Add($"ToyOptions.Crop must be 4–32, got {Crop}.");
        if (BatchSize is < 1 or > 8) problems.Add($"ToyOptions.BatchSize must be 1–8, got {BatchSize}.");
        return problems;
    }
}
