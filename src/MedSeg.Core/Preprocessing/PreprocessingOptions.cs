using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// The MONAI standard abdominal CT recipe (Swin UNETR / UNETR BTCV tutorials) as one recordable settings object:
/// Orientationd(RAS) → Spacingd(1.5, 1.5, 2.0; bilinear/nearest) → ScaleIntensityRanged(−175..250 → 0..1, clip)
/// → CropForegroundd(source image) → SpatialPadd(patch) → RandCropByPosNegLabeld(96³, pos 1, neg 1, 4 samples, image_threshold 0)
/// → RandFlipd ×3 (p 0.1) → RandRotate90d (p 0.1, max_k 3) → RandShiftIntensityd (offsets 0.1, p 0.5).
/// Serialises to camelCase JSON so a run can store exactly what it used.
/// </summary>
public sealed record PreprocessingOptions
{
    public bool OrientToRas { get; init; } = true;

    /// <summary>Target voxel size in mm; null skips resampling.</summary>
    public double[]? TargetSpacing { get; init; } = [1.5, 1.5, 2.0];

    public double IntensityMin { get; init; } = -175;
    public double IntensityMax { get; init; } = 250;
    public double OutputMin { get; init; } = 0;
    public double OutputMax { get; init; } = 1;
    public bool Clip { get; init; } = true;

    public bool CropForeground { get; init; } = true;

    /// <summary>Foreground = scaled image above this value.</summary>
    public double ForegroundThreshold { get; init; } = 0;
    public int ForegroundMargin { get; init; } = 0;

    public int[] PatchSize { get; init; } = [96, 96, 96];

    /// <summary>Zero-pad volumes smaller than the patch before sampling (MONAI SpatialPadd), instead of failing.</summary>
    public bool PadToPatchSize { get; init; } = true;
    public double Positive { get; init; } = 1;
    public double Negative { get; init; } = 1;
    public int SamplesPerVolume { get; init; } = 4;

    /// <summary>Patch centres only where the (scaled) image exceeds this; null allows any voxel.</summary>
    public double? ImageThreshold { get; init; } = 0;

    public double FlipProbability { get; init; } = 0.1;
    public double Rotate90Probability { get; init; } = 0.1;
    public int Rotate90MaxK { get; init; } = 3;
    public double ShiftIntensityOffset { get; init; } = 0.1;
    public double ShiftIntensityProbability { get; init; } = 0.5;

    public static PreprocessingOptions Default { get; } = new();

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PreprocessingOptions FromJson(string json, string source = "preprocessing options")
    {
        PreprocessingOptions? options;
        try { options = JsonSerializer.Deserialize<PreprocessingOptions>(json, Json); }
        catch (JsonException e) { throw new ArgumentException($"{source}: invalid JSON at {e.Path ?? "$"} ({e.Message})", e); }
        return (options ?? throw new ArgumentException($"{source}: JSON is null")).Validated(source);
    }

    /// <summary>Returns this if every setting is usable, else throws naming the field and value.</summary>
    public PreprocessingOptions Validated(string source = "preprocessing options")
    {
        var c = CultureInfo.InvariantCulture;
        void Fail(string field, object? value, string rule) =>
            throw new ArgumentException(string.Format(c, "{0}: {1} must be {2}, got {3}", source, field, rule, value ?? "null"));
        string List<T>(T[]? a) => a is null ? "null" : "[" + string.Join(", ", a.Select(v => string.Format(c, "{0}", v))) + "]";

        if (TargetSpacing is not null && (TargetSpacing.Length != 3 || TargetSpacing.Any(s => !(s > 0) || !double.IsFinite(s))))
            Fail("targetSpacing", List(TargetSpacing), "null or three positive numbers (mm)");
        if (!double.IsFinite(IntensityMin) || !double.IsFinite(IntensityMax) || IntensityMax <= IntensityMin)
            Fail("intensityMax", IntensityMax, string.Format(c, "finite and greater than intensityMin ({0})", IntensityMin));
        if (!double.IsFinite(OutputMin) || !double.IsFinite(OutputMax)) Fail("outputMin/outputMax", $"{OutputMin}/{OutputMax}", "finite");
        if (ForegroundMargin < 0) Fail("foregroundMargin", ForegroundMargin, ">= 0");
        if (PatchSize is null || PatchSize.Length != 3 || PatchSize.Any(p => p < 1)) Fail("patchSize", List(PatchSize), "three positive integers");
        if (!(Positive >= 0) || !(Negative >= 0) || Positive + Negative <= 0) Fail("positive/negative", $"{Positive}/{Negative}", ">= 0 and not both 0");
        if (SamplesPerVolume < 1) Fail("samplesPerVolume", SamplesPerVolume, ">= 1");
        foreach (var (name, p) in new[] { ("flipProbability", FlipProbability), ("rotate90Probability", Rotate90Probability), ("shiftIntensityProbability", ShiftIntensityProbability) })
            if (!(p >= 0 && p <= 1)) Fail(name, p, "in 0..1");
        if (Rotate90MaxK < 1) Fail("rotate90MaxK", Rotate90MaxK, ">= 1");
        if (!(ShiftIntensityOffset >= 0) || !double.IsFinite(ShiftIntensityOffset)) Fail("shiftIntensityOffset", ShiftIntensityOffset, ">= 0");
        return this;
    }
}
