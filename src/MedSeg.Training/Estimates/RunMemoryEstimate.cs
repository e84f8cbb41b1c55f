using System.Globalization;

namespace MedSeg.Training.Estimates;

/// <summary>
/// Resident memory one training run needs beyond the process it runs in: parameters with gradients and AdamW moments,
/// activations of one step (per the family's calibration), output classes, prefetched batches.
/// </summary>
public sealed record RunMemoryEstimate(long Parameters, double ParameterBytes, double ActivationBytes, double ClassBytes, double BatchBytes, double OverheadBytes)
{
    public double TotalBytes => ParameterBytes + ActivationBytes + ClassBytes + BatchBytes + OverheadBytes;

    /// <summary>"3.2 GiB (parameters 1.1 GiB, activations 1.9 GiB, …)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Gib(TotalBytes)} (weights, gradients and AdamW state of {Parameters:N0} parameters {Gib(ParameterBytes)}, activations {Gib(ActivationBytes + ClassBytes)}, batches {Gib(BatchBytes)}, libtorch workspace {Gib(OverheadBytes)})");

    public static string Gib(double bytes) => bytes >= 1 << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):F1} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 20):F0} MiB");
}
