using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// The deterministic part of a recorded <see cref="PreprocessingOptions"/> for inference, and its inverse for the
/// predicted label map. Forward (<see cref="Prepare"/>): orientation to RAS, resampling to the target spacing
/// (trilinear), intensity window — no random augmentation, and no foreground crop (it would need its own inverse
/// and MONAI's inference recipes skip it too). Inverse (<see cref="ToOriginalGrid"/>): every voxel of the original
/// image takes the label of the nearest prepared voxel through both voxel→world affines, which undoes the
/// resampling (nearest neighbour) and the axis permutation/flips of the orientation in one step, so the result has
/// the original image's exact shape, spacing and affine (MONAI <c>Invertd</c> with nearest interpolation).
/// </summary>
public sealed class InferencePreprocessing
{
    private readonly PreprocessingPipeline _pipeline;

    public InferencePreprocessing(PreprocessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options with { CropForeground = false };
        _pipeline = new PreprocessingPipeline(Options);
    }

    /// <summary>The recorded options with the foreground crop switched off.</summary>
    public PreprocessingOptions Options { get; }

    /// <summary>The image as the network saw it during training (float32, RAS, target spacing, windowed).</summary>
    public Volume Prepare(Volume image) => _pipeline.Prepare(image, null).Image;

    /// <summary>A uint8 label map on the prepared grid brought back onto <paramref name="original"/>'s grid.</summary>
    public static Volume ToOriginalGrid(Volume preparedLabels, Volume original)
    {
        ArgumentNullException.ThrowIfNull(preparedLabels);
        ArgumentNullException.ThrowIfNull(original);
        if (preparedLabels.Type != VoxelType.UInt8)
            throw new ArgumentException($"Label map must be uint8 to map back onto the image grid, got {preparedLabels.Type}.", nameof(preparedLabels));
        return GridResampler.NearestOnto(preparedLabels, original);
    }

    /// <summary>One line for logs: what <see cref="Prepare"/> does.</summary>
    public string Describe()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var o = Options;
        var steps = new List<string>();
        if (o.OrientToRas) steps.Add("RAS");
        if (o.TargetSpacing is { } s) steps.Add("spacing " + string.Join("×", s.Select(v => v.ToString("0.###", c))) + " mm");
        steps.Add(string.Create(c, $"intensity {o.IntensityMin}..{o.IntensityMax} → {o.OutputMin}..{o.OutputMax}{(o.Clip ? " (clip)" : "")}"));
        return string.Join(", ", steps);
    }
}
