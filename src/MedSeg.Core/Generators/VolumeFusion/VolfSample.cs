using System.Text.Json.Serialization;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>
/// One fused box (paper) or labelled grid block (PyMIC 2024), all triples (D, H, W) = (z, y, x): the drawn size and
/// centre, and the half-open voxel range [Start, End) it covers after clipping to the sub-volume.
/// Later boxes overwrite earlier ones.
/// </summary>
public sealed record VolfBox(int[] Size, int[] Centre, int Label, int[] Start, int[] End);

/// <summary>How one of the two crops was taken from its source (triples are (D, H, W)).</summary>
/// <param name="Origin">Source voxel of the crop's first voxel; negative or past the end where the source was padded.</param>
/// <param name="Extent">Voxels taken from the source per axis (the sub-volume size, or a scaled size zoomed back in PyMIC 2024).</param>
/// <param name="Gamma">PyMIC 2024 only: the gamma applied to the view (1 = none).</param>
/// <param name="Inverted">PyMIC 2024 only: the view's intensities were inverted (1 − x; both views of a sample together).</param>
/// <param name="ContrastLow">PyMIC 2024 only: the percentile the view was clipped at below (null: no contrast map).</param>
/// <param name="ContrastHigh">PyMIC 2024 only: the percentile the view was clipped at above.</param>
public sealed record VolfCrop(string Case, int[] Origin, int[] Extent, bool[] Flips, double Gamma = 1, bool Inverted = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ContrastLow = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ContrastHigh = null);

/// <summary>What a sample was made of (one manifest.jsonl line): enough to redraw and check it.</summary>
public sealed record VolfSampleManifest(
    int Index, string Case, string Variant, int[] Size, int FusionLevels,
    VolfCrop Background, VolfCrop Foreground, VolfBox[] Boxes);

/// <summary>
/// A fused sub-volume: <see cref="Image"/> = α·<see cref="Foreground"/> + (1 − α)·<see cref="Background"/> with
/// α = <see cref="Label"/> / K on every voxel. Buffers are (D, H, W) with W fastest (NIfTI x, y, z order).
/// </summary>
public sealed class VolfSample
{
    public required int Depth { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public required float[] Image { get; init; }
    public required byte[] Label { get; init; }
    public required float[] Background { get; init; }
    public required float[] Foreground { get; init; }
    public required VolfSampleManifest Manifest { get; init; }
}
