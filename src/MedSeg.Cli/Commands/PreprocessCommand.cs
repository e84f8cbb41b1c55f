using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.Generators;
using MedSeg.Core.Nifti;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Randomness;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg preprocess IMAGE [--label L] [--options JSON] [--out-image P] [--out-label Q] [--patches SEED]`: runs the
/// MONAI abdominal CT recipe (<see cref="PreprocessingOptions"/>) on one volume, prints geometry and seconds per step,
/// optionally writes the prepared volumes and draws one round of training patches.
/// </summary>
public static class PreprocessCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "CT image (.nii / .nii.gz)." };
        var label = new Option<string?>("--label") { Description = "Label map of the same shape (resampled with nearest)." };
        var options = new Option<string?>("--options") { Description = "PreprocessingOptions JSON (default: MONAI recipe, 1.5×1.5×2 mm, −175..250 HU)." };
        var outImage = new Option<string?>("--out-image") { Description = "Write the prepared image here." };
        var outLabel = new Option<string?>("--out-label") { Description = "Write the prepared label here." };
        var patches = new Option<ulong?>("--patches") { Description = "Also sample training patches with this seed (needs --label)." };
        var command = new Command("preprocess", "Run the abdominal CT preprocessing recipe on one volume and time each step.")
        {
            image, label, options, outImage, outLabel, patches,
        };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            var c = CultureInfo.InvariantCulture;
            string? optionsPath = parseResult.GetValue(options);
            var settings = optionsPath is null ? PreprocessingOptions.Default : PreprocessingOptions.FromJson(File.ReadAllText(optionsPath), optionsPath);
            var pipeline = new PreprocessingPipeline(settings);
            var watch = Stopwatch.StartNew();
            var input = NiftiReader.Read(parseResult.GetRequiredValue(image));
            string? labelPath = parseResult.GetValue(label);
            var labels = labelPath is null ? null : NiftiReader.Read(labelPath);
            writer.WriteLine(string.Format(c, "read: {0:F3} s; input {1}×{2}×{3} {4} spacing {5}", watch.Elapsed.TotalSeconds,
                input.SizeX, input.SizeY, input.SizeZ, Orientation.AxisCodes(input.Affine), string.Join("×", input.Spacing.Select(s => s.ToString("G4", c)))));

            var prepared = pipeline.Prepare(input, labels, (step, time) => writer.WriteLine(string.Format(c, "{0}: {1:F3} s", step, time.TotalSeconds)));
            var p = prepared.Image;
            writer.WriteLine(string.Format(c, "prepared {0}×{1}×{2} {3} spacing {4}", p.SizeX, p.SizeY, p.SizeZ,
                Orientation.AxisCodes(p.Affine), string.Join("×", p.Spacing.Select(s => s.ToString("G4", c)))));

            if (parseResult.GetValue(outImage) is { } imagePath) NiftiWriter.Write(p, imagePath);
            if (parseResult.GetValue(outLabel) is { } preparedLabelPath)
                NiftiWriter.Write(prepared.Label ?? throw new UsageException("--out-label needs --label"), preparedLabelPath);
            if (parseResult.GetValue(patches) is { } seed)
            {
                if (prepared.Label is null) throw new UsageException("--patches needs --label");
                watch.Restart();
                var samples = pipeline.Augment(prepared, new DeterministicRandom(seed));
                int foreground = samples.Count(s => s.Label!.As<byte>().Any(v => v > 0));
                writer.WriteLine(string.Format(c, "patches: {0} of {1} in {2:F3} s, {3} containing foreground",
                    samples.Count, string.Join("×", settings.PatchSize), watch.Elapsed.TotalSeconds, foreground));
            }
            return 0;
        }));
        return command;
    }
}
