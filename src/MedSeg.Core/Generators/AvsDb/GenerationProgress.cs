namespace MedSeg.Core.Generators.AvsDb;

/// <summary>Progress of a dataset write: volumes finished (written or already present) out of the total.</summary>
public sealed record GenerationProgress(int Done, int Total, int Skipped, long ShapesPlaced, long ShapesDropped, TimeSpan Elapsed)
{
    /// <summary>Volumes generated per second in this run (skipped volumes excluded).</summary>
    public double VolumesPerSecond => Elapsed.TotalSeconds > 0 ? (Done - Skipped) / Elapsed.TotalSeconds : 0;

    public TimeSpan? EstimatedRemaining => VolumesPerSecond > 0
        ? TimeSpan.FromSeconds((Total - Done) / VolumesPerSecond)
        : null;
}

/// <summary>Outcome of <see cref="AvsDbDatasetWriter.Write"/>.</summary>
public sealed record AvsDbWriteResult(int Total, int Written, int Skipped, long ShapesPlaced, long ShapesDropped, TimeSpan Elapsed)
{
    public double VolumesPerSecond => Elapsed.TotalSeconds > 0 ? Written / Elapsed.TotalSeconds : 0;
}

/// <summary>Settings of a dataset write.</summary>
public sealed record AvsDbWriteOptions
{
    public static AvsDbWriteOptions Default { get; } = new();

    /// <summary>Volumes generated at once; null or ≤ 0 = all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    public MedSeg.Core.Nifti.NiftiWriteOptions Nifti { get; init; } = MedSeg.Core.Nifti.NiftiWriteOptions.Default;
}
