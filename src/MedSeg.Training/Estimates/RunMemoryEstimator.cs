namespace MedSeg.Training.Estimates;

/// <summary>Turns a <see cref="RunMemoryRequest"/> into a <see cref="RunMemoryEstimate"/>; null for an uncalibrated network.</summary>
public static class RunMemoryEstimator
{
    public static RunMemoryEstimate? Estimate(RunMemoryRequest r)
    {
        if (NetworkWidth.Coefficients(r.Model) is not { } c || NetworkWidth.Of(r.Model) is not double width) return null;
        var voxels = r.StepVoxels;
        var parameters = ParameterCount.Of(r.Model) + r.HeadParameters;
        return new RunMemoryEstimate(
            parameters,
            parameters * MemoryCalibration.BytesPerParameter,
            voxels * (c.PerWidth * width + c.Fixed),
            voxels * r.ClassCount * MemoryCalibration.ClassBytesPerVoxel,
            voxels * (Math.Max(0, r.Prefetch) + 1) * MemoryCalibration.BatchBytesPerVoxel,
            MemoryCalibration.RunOverheadBytes);
    }
}
