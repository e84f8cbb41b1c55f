using static System.FormattableString;
namespace MedSeg.Core.Generators.AvsDb;

/// <summary>Image channel settings. Defaults reproduce the reference: 2-pixel outlines, value 128 on 0, no noise.</summary>
public sealed record AvsDbImageSpec
{
    public ImageMode Mode { get; init; } = ImageMode.Outline;

    /// <summary>Intensity of outline voxels (reference 128).</summary>
    public double OutlineValue { get; init; } = 128;

    /// <summary>Outline thickness in pixels, drawn inside each cross-section (reference line width 2).</summary>
    public int OutlineWidth { get; init; } = 2;

    /// <summary>Intensity of voxels outside every shape.</summary>
    public double Background { get; init; }

    /// <summary>Per-shape intensity range in <see cref="ImageMode.Filled"/> mode (uniform).</summary>
    public DoubleRange FilledIntensity { get; init; } = new(32, 255);

    /// <summary>Gaussian blur sigma in voxels applied before noise; 0 = none.</summary>
    public double BlurSigma { get; init; }

    /// <summary>Additive Gaussian noise sigma in intensity units; 0 = none.</summary>
    public double NoiseSigma { get; init; }

    internal void Validate(List<string> errors)
    {
        if (!Enum.IsDefined(Mode)) errors.Add(Invariant($"Image.Mode must be Outline or Filled, got {(int)Mode}"));
        if (!double.IsFinite(OutlineValue)) errors.Add(Invariant($"Image.OutlineValue must be finite, got {OutlineValue}"));
        if (OutlineWidth < 1 || OutlineWidth > 16) errors.Add(Invariant($"Image.OutlineWidth must be in 1..16, got {OutlineWidth}"));
        if (!double.IsFinite(Background)) errors.Add(Invariant($"Image.Background must be finite, got {Background}"));
        if (FilledIntensity is null || !double.IsFinite(FilledIntensity.Min) || !double.IsFinite(FilledIntensity.Max) || FilledIntensity.Min > FilledIntensity.Max)
            errors.Add(Invariant($"Image.FilledIntensity must be a finite range with Min <= Max, got {FilledIntensity?.ToString() ?? "null"}"));
        if (!(BlurSigma >= 0 && BlurSigma <= 16)) errors.Add(Invariant($"Image.BlurSigma must be in [0, 16], got {BlurSigma}"));
        if (!(NoiseSigma >= 0) || !double.IsFinite(NoiseSigma)) errors.Add(Invariant($"Image.NoiseSigma must be >= 0, got {NoiseSigma}"));
    }
}
