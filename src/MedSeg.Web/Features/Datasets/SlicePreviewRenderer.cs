using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.Imaging;
using MedSeg.Core.Volumes;

namespace MedSeg.Web.Features.Datasets;

/// <summary>Three orthogonal mid slices (label overlay) of one volume, as PNG data URIs small enough for a circuit.</summary>
public sealed record SlicePreview(string Axial, string Coronal, string Sagittal, int ShapesPlaced, int ShapesDropped);

/// <summary>
/// Renders the create form's live preview: volume 0 of the spec + seed, generated in memory (nothing is written),
/// sliced through the middle along each axis.
/// </summary>
public sealed class SlicePreviewRenderer
{
    /// <summary>Largest volume edge the preview generates; bigger specs are previewed scaled down to it.</summary>
    public const int MaxPreviewSize = 96;

    public SlicePreview Render(AvsDbSpec spec, ulong seed, int volumeIndex = 0, CancellationToken cancellationToken = default)
    {
        var previewSpec = spec.VolumeSize > MaxPreviewSize ? spec.ScaledTo(MaxPreviewSize) : spec;
        cancellationToken.ThrowIfCancellationRequested();
        var sample = new AvsDbGenerator(previewSpec, seed).Generate(volumeIndex);
        cancellationToken.ThrowIfCancellationRequested();
        var window = WindowOf(previewSpec);
        return new SlicePreview(
            Slice(sample.Image, sample.Label, SliceAxis.Z, window),
            Slice(sample.Image, sample.Label, SliceAxis.Y, window),
            Slice(sample.Image, sample.Label, SliceAxis.X, window),
            sample.Manifest.ShapesPlaced, sample.Manifest.ShapesDropped);
    }

    // A fixed window over the spec's intensities, so outline images (mostly background) are not stretched to noise.
    private static DisplayWindow WindowOf(AvsDbSpec spec)
    {
        var low = Math.Min(spec.Image.Background, Math.Min(spec.Image.OutlineValue, spec.Image.FilledIntensity.Min));
        var high = Math.Max(spec.Image.Background, Math.Max(spec.Image.OutlineValue, spec.Image.FilledIntensity.Max));
        if (high <= low) high = low + 1;
        return new DisplayWindow(high - low, (high + low) / 2);
    }

    private static string Slice(Volume image, Volume label, SliceAxis axis, DisplayWindow window)
    {
        var middle = VolumeSlice.AxisLength(image, axis) / 2;
        var rgba = SliceRenderer.Render(image, axis, middle, label, window);
        using var png = new MemoryStream();
        PngWriter.Write(png, rgba, PngColorType.Rgb);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetBuffer(), 0, (int)png.Length);
    }
}
