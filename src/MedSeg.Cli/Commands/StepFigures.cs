namespace MedSeg.Cli.Commands;

/// <summary>One benchmark configuration's figures: time per step, peak host memory, FLOPs per step, peak GPU memory (null off CUDA).</summary>
internal sealed record StepFigures(double MsPerStep, long PeakBytes, double FlopsPerStep, long? GpuPeakBytes)
{
    /// <summary>Achieved TFLOP/s: <see cref="FlopsPerStep"/> / step time.</summary>
    public double TflopsPerSecond => MsPerStep > 0 ? FlopsPerStep / (MsPerStep / 1000) / 1e12 : 0;
}
