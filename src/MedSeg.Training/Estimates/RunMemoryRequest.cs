using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Estimates;

/// <summary>
/// What a run's memory depends on: the network (with its arguments), the cubic crop edge, the batch, the output classes,
/// and what a method adds — views per sample (e.g. Swin SSL's two rotated views) and parameters of its heads. A method's
/// request may name its crop field (<see cref="CropField"/>, e.g. "volf.size") for the refusal message.
/// </summary>
public sealed record RunMemoryRequest(ModelChoice Model, int Crop, int BatchSize, int ClassCount, int Views = 1, long HeadParameters = 0, int Prefetch = 0,
    int[]? Shape = null, string? CropField = null)
{
    /// <summary>Input voxels of one step: batch × views × crop³ (or × the product of <see cref="Shape"/> for a non-cubic crop, e.g. VolF's D×H×W).</summary>
    public double StepVoxels => (double)BatchSize * Math.Max(1, Views) * (Shape is { Length: > 0 } s ? s.Aggregate(1.0, (a, b) => a * b) : (double)Crop * Crop * Crop);

    /// <summary>The crop as people read it: "96" or "64×128×128".</summary>
    public string CropText => Shape is { Length: > 0 } s ? string.Join("×", s) : Crop.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The run's request for an FDSL configuration with <paramref name="classCount"/> classes incl. background.</summary>
    public static RunMemoryRequest For(FdslOptions o, int classCount) =>
        new(FdslRunFactory.ModelChoiceFor(o, classCount), o.Crop, o.BatchSize, classCount, Prefetch: o.Prefetch);
}
