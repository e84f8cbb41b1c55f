using MedSeg.Training.Fdsl;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Runs.Components;

/// <summary>
/// The largest value each number field of the run form accepts: the options record's own bound or the server's
/// <see cref="LimitsOptions"/>, whichever is lower — so the form refuses exactly what the server would.
/// </summary>
public sealed record RunFieldBounds(int FeatureSize, int Crop, int BatchSize, int Samples, int Steps, int Epochs, int KeepLast, int ValidationSamples)
{
    public static RunFieldBounds From(LimitsOptions l) => new(
        FeatureSize: Math.Min(1024, l.MaxNetworkWidth),
        Crop: Math.Min(1024, l.MaxCrop),
        BatchSize: Math.Min(4096, l.MaxBatchSize),
        Samples: Math.Min(10_000_000, l.MaxSamples),
        Steps: (int)Math.Min(FdslOptions.MaxSteps, l.MaxSteps),
        Epochs: Math.Min(1_000_000, l.MaxEpochs),
        KeepLast: Math.Min(1000, l.MaxKeepLast),
        ValidationSamples: Math.Min(10_000, l.MaxValidationSamples));
}
