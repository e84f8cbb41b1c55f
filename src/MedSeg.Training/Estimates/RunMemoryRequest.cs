using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Estimates;

/// <summary>
/// What a run's memory depends on: the network (with its arguments), the cubic crop edge, the batch, the output classes,
/// and what a method adds — views per sample (e.g. Swin SSL's two rotated views) and parameters of its heads.
/// </summary>
public sealed record RunMemoryRequest(ModelChoice Model, int Crop, int BatchSize, int ClassCount, int Views = 1, long HeadParameters = 0, int Prefetch = 0)
{
    /// <summary>Input voxels of one step: batch × views × crop³.</summary>
    public double StepVoxels => (double)BatchSize * Math.Max(1, Views) * Crop * Crop * Crop;

    /// <summary>The run's request for an FDSL configuration with <paramref name="classCount"/> classes incl. background.</summary>
    public static RunMemoryRequest For(FdslOptions o, int classCount) =>
        new(FdslRunFactory.ModelChoiceFor(o, classCount), o.Crop, o.BatchSize, classCount, Prefetch: o.Prefetch);
}
