namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>Settings of a one-shot kNN evaluation; defaults are the paper's protocol.</summary>
public sealed record OneShotKnnOptions
{
    public const int MaxAtlases = 9;
    public const int MaxStride = 16;
    public const int MaxK = 1000;
    public const int MaxTargetLimit = 10_000;

    /// <summary>The labelled dataset folder (MSD layout; split.json decides atlases = train, targets = test, else val).</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Labelled atlases n (1..9), chosen with <see cref="Seed"/>.</summary>
    public int Atlases { get; init; } = 1;

    public long Seed { get; init; }

    /// <summary>Written as "paper" / "dense" by <see cref="OneShotKnnStore.Json"/>.</summary>
    public KnnProtocol Protocol { get; init; } = KnnProtocol.Paper;

    /// <summary>Descriptors at every Stride-th voxel along each axis (the paper: 4).</summary>
    public int Stride { get; init; } = 4;

    /// <summary>Neighbours voting per sampled voxel.</summary>
    public int K { get; init; } = 21;

    /// <summary>At most this many target volumes (the first of the target list).</summary>
    public int MaxTargets { get; init; } = 50;

    /// <summary>
    /// For pretrained encoders: the feature map (<see cref="FeatureSource.Parse"/>: output, output:M, input:M, hidden:M:I);
    /// null takes the network's penultimate decoder features. Ignored for context and Doersch runs.
    /// </summary>
    public string? Features { get; init; }

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(Dataset)) p.Add("Dataset: a labelled dataset folder is required.");
        if (Atlases is < 1 or > MaxAtlases) p.Add($"Atlases: {Atlases} is outside 1..{MaxAtlases}.");
        if (Stride is < 1 or > MaxStride) p.Add($"Stride: {Stride} is outside 1..{MaxStride}.");
        if (K is < 1 or > MaxK) p.Add($"K: {K} is outside 1..{MaxK}.");
        if (MaxTargets is < 1 or > MaxTargetLimit) p.Add($"Max targets: {MaxTargets} is outside 1..{MaxTargetLimit}.");
        if (Seed < 0) p.Add($"Seed: {Seed} must be ≥ 0.");
        if (Features is not null)
        {
            try { FeatureSource.Parse(Features); }
            catch (ArgumentException e) { p.Add($"Features: {e.Message}"); }
        }
        return p;
    }
}
