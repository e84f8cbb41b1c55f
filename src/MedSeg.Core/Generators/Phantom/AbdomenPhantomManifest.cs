namespace MedSeg.Core.Generators.Phantom;

/// <summary>What was drawn for one SYNTHETIC phantom volume: pose, organ scales, tissue HU and label sizes.</summary>
public sealed record AbdomenPhantomManifest
{
    public string Kind { get; init; } = "SYNTHETIC abdominal CT phantom";
    public int Index { get; init; }
    public ulong Seed { get; init; }
    public double RotationDegrees { get; init; }

    /// <summary>Body shift (u, v, w) in half-field-of-view units.</summary>
    public double[] Translation { get; init; } = [];
    public double BodyScale { get; init; }
    public SortedDictionary<string, double> OrganScales { get; init; } = new();
    public TissueHu Hu { get; init; } = new();

    /// <summary>Voxels per label name (background excluded).</summary>
    public SortedDictionary<string, long> LabelVoxels { get; init; } = new();
}
