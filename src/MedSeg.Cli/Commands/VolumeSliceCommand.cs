using System.CommandLine;
using System.Globalization;
using MedSeg.Core.Imaging;
using MedSeg.Core.Nifti;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg volume slice FILE --axis x|y|z --index K --out slice.png [--label LABELS] [--window W --level L]`:
/// one slice as a grey PNG, labels blended on top in palette colours (alpha 0.5).
/// Layout (no radiological flips): axis z → columns x, rows y; axis y → columns x, rows z;
/// axis x → columns y, rows z; index 0 of the row axis is the top row.
/// </summary>
internal static class VolumeSliceCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "NIfTI image (.nii or .nii.gz)." };
        var axis = new Option<string>("--axis") { Description = "Axis across which to cut: x, y or z.", Required = true };
        axis.AcceptOnlyFromAmong("x", "y", "z");
        var index = new Option<int>("--index") { Description = "Slice index along the axis (0-based).", Required = true };
        var output = new Option<string>("--out") { Description = "PNG file to write.", Required = true };
        var label = new Option<string?>("--label") { Description = "Label map (same shape) to overlay in colour." };
        var window = new Option<double?>("--window") { Description = "Grey window width (with --level); default: 0.5–99.5 percentile of the slice." };
        var level = new Option<double?>("--level") { Description = "Grey window centre (with --window)." };

        var command = new Command("slice", "Render one slice (with optional label overlay) as a PNG.")
        {
            file, axis, index, output, label, window, level,
        };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            var sliceAxis = Enum.Parse<SliceAxis>(parseResult.GetRequiredValue(axis), ignoreCase: true);
            int k = parseResult.GetValue(index);
            string outPath = parseResult.GetRequiredValue(output);
            DisplayWindow? display = WindowOf(parseResult.GetValue(window), parseResult.GetValue(level));

            var image = NiftiReader.Read(parseResult.GetRequiredValue(file));
            int length = VolumeSlice.AxisLength(image, sliceAxis);
            if (k < 0 || k >= length)
                throw new UsageException($"--index {k} is out of range for axis {sliceAxis.ToString().ToLowerInvariant()}: valid 0–{length - 1}");
            string? labelPath = parseResult.GetValue(label);
            var labels = labelPath is null ? null : NiftiReader.Read(labelPath);
            if (labels is not null && (labels.SizeX, labels.SizeY, labels.SizeZ) != (image.SizeX, image.SizeY, image.SizeZ))
                throw new UsageException(
                    $"label map {Path.GetFileName(labelPath)} is {labels.SizeX}×{labels.SizeY}×{labels.SizeZ} but the image is {image.SizeX}×{image.SizeY}×{image.SizeZ}");

            var used = display ?? DisplayWindow.FromPercentiles(VolumeSlice.Extract(image, sliceAxis, k).Values);
            var picture = SliceRenderer.Render(image, sliceAxis, k, labels, used);
            PngWriter.WriteFile(outPath, picture, PngColorType.Rgb);
            var c = CultureInfo.InvariantCulture;
            writer.WriteLine($"wrote {outPath} ({picture.Width}×{picture.Height}, axis {sliceAxis.ToString().ToLowerInvariant()} index {k}, " +
                             $"window {used.Width.ToString("G6", c)} level {used.Level.ToString("G6", c)}{(labels is null ? "" : ", labels overlaid")})");
            return 0;
        }));
        return command;
    }

    private static DisplayWindow? WindowOf(double? width, double? level)
    {
        if (width is null && level is null) return null;
        if (width is null || level is null) throw new UsageException("--window and --level must be given together");
        if (!(width > 0) || !double.IsFinite(width.Value)) throw new UsageException($"--window must be a positive number, got {width}");
        if (!double.IsFinite(level.Value)) throw new UsageException($"--level must be a finite number, got {level}");
        return new DisplayWindow(width.Value, level.Value);
    }
}
