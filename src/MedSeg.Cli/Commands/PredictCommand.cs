using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.Metrics;
using MedSeg.Core.Nifti;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Inference;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg predict --checkpoint RUN_OR_MODEL.safetensors --image IMG.nii.gz --out PRED.nii.gz [--roi 64] [--overlap 0.5]
/// [--mode gaussian] [--sw-batch 1] [--device auto] [--label L.nii.gz] [--raw] [--axis-order zyx|monai-xyz]` (default: the weights' order, MONAI's when they record none): rebuilds the model from its self-describing checkpoint, runs
/// MONAI-style sliding-window inference over the whole image and writes the argmax label map (uint8) with the
/// image's geometry; with --label, prints Dice / ASSD / HD95 per class (as `medseg evaluate`). `medseg predict bench` times a pass with random weights.
/// A fine-tuned run's checkpoint brings its recorded preprocessing (config.json): the image is prepared as in training,
/// predicted with the run's patch and overlap, and the labels are mapped back onto the input grid
/// (<see cref="PreprocessedPredictor"/>, the code of the run's own evaluation); --raw skips that.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Model .safetensors (ModelCheckpoint) or a run folder holding model.safetensors.", Required = true };
        var image = new Option<string>("--image") { Description = "NIfTI image to segment.", Required = true };
        var output = new Option<string>("--out") { Description = "NIfTI label map to write (uint8).", Required = true };
        var label = new Option<string?>("--label") { Description = "Ground-truth label map: print Dice, ASSD and HD95 of the prediction." };
        var raw = new Option<bool>("--raw") { Description = "Ignore a fine-tuned run's recorded preprocessing; feed the image as it is." };
        var window = WindowOptions.Create();
        var axisOrder = AxisOrderOption.Create("the order recorded with the weights; zyx for MedSeg checkpoints from before it was recorded; monai-xyz for any other weights (MONAI's)");

        var command = new Command("predict", "Segment a NIfTI image with a checkpointed network (sliding-window inference).")
        {
            checkpoint, image, output, label, raw, axisOrder,
        };
        window.AddTo(command);
        command.Add(PredictBenchCommand.Create());
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            string modelPath = CheckpointLocator.Resolve(parseResult.GetRequiredValue(checkpoint));
            var recorded = parseResult.GetValue(raw) ? null : FindRecorded(modelPath);
            var options = window.Read(parseResult, recorded, FixedInputCube(modelPath));
            string outPath = parseResult.GetRequiredValue(output);
            var volume = NiftiReader.Read(parseResult.GetRequiredValue(image));
            // Read and check the reference before the (long) inference, so a wrong file fails at once.
            string? labelPath = parseResult.GetValue(label);
            var reference = labelPath is null ? null : NiftiReader.Read(labelPath);
            if (reference is not null && (reference.SizeX, reference.SizeY, reference.SizeZ) != (volume.SizeX, volume.SizeY, volume.SizeZ))
                throw new UsageException($"label map {labelPath} is {reference.SizeX}×{reference.SizeY}×{reference.SizeZ} but the image is {volume.SizeX}×{volume.SizeY}×{volume.SizeZ}");
            var axes = ResolveAxisOrder(modelPath, Directory.Exists(parseResult.GetRequiredValue(checkpoint)), AxisOrderOption.Read(parseResult, axisOrder));
            using var model = LoadModel(modelPath);

            var clock = Stopwatch.StartNew();
            var predictor = new PreprocessedPredictor(model, recorded?.Preprocessing, options, axes);
            var labels = predictor.PredictLabels(volume);
            double seconds = clock.Elapsed.TotalSeconds;
            NiftiWriter.Write(labels, outPath);

            var c = CultureInfo.InvariantCulture;
            var counts = new long[256];
            foreach (byte b in labels.As<byte>()) counts[b]++;
            writer.WriteLine($"model:   {modelPath}");
            writer.WriteLine(predictor.Preprocessing is { } p
                ? $"preprocessing: {p.Describe()} (recorded in {recorded!.ConfigPath}); labels mapped back onto the image grid"
                : "preprocessing: none (raw image)");
            writer.WriteLine($"axes:    {axes} {axes.Describe()}");
            writer.WriteLine($"image:   {volume.SizeX}×{volume.SizeY}×{volume.SizeZ}, roi [{string.Join(", ", options.RoiSize)}] (z, y, x), "
                             + string.Create(c, $"overlap {options.Overlap}, mode {options.Mode.ToString().ToLowerInvariant()}, device {options.ComputeDevice}"));
            writer.WriteLine(string.Create(c, $"time:    {seconds:F2} s"));
            writer.WriteLine("voxels:  " + string.Join(", ", counts.Select((n, label) => (n, label)).Where(p => p.n > 0).Select(p => $"{p.label}: {p.n}")));
            writer.WriteLine($"wrote {outPath}");
            if (reference is not null)
            {
                try
                {
                    writer.WriteLine(EvaluateCommand.AsTable(SegmentationEvaluator.Evaluate(labels, reference, null, outPath, labelPath!)));
                }
                catch (Exception e) when (e is SegmentationMismatchException or LabelValueException)
                {
                    throw new UsageException(e.Message);
                }
            }
            return 0;
        }));
        return command;
    }

    private static RecordedPreprocessing? FindRecorded(string modelPath)
    {
        try { return RecordedPreprocessing.Find(modelPath); }
        catch (InvalidDataException e) { throw new UsageException($"{e.Message} (use --raw to predict on the raw image)"); }
    }

    /// <summary>The weights' order (<see cref="WeightsAxisOrder"/>); an explicit --axis-order must agree with a recorded one (else the kernels run transposed).</summary>
    private static AxisOrder ResolveAxisOrder(string path, bool runFolder, AxisOrder? requested)
    {
        try { return WeightsAxisOrder.Of(path, runFolder).Apply(requested, path); }
        catch (Exception e) when (e is SafetensorsFormatException or InvalidDataException or System.Text.Json.JsonException) { throw new UsageException($"checkpoint {path}: {e.Message}"); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>The cube edge of a model built for one input size (metadata img_size "32" or "(32, 32, 32)"), else null.</summary>
    private static int? FixedInputCube(string path)
    {
        IReadOnlyDictionary<string, string> metadata;
        try { metadata = SafetensorsHeader.Read(path).Metadata; }
        catch (Exception e) when (e is SafetensorsFormatException or InvalidDataException) { throw new UsageException($"checkpoint {path}: {e.Message}"); }
        if (!metadata.TryGetValue("img_size", out var text)) return null;
        var sizes = text.Split([',', '(', ')', '[', ']', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).Distinct().ToList();
        return sizes is [> 0 and var edge] ? edge : null;
    }

    private static nn.Module<Tensor, Tensor> LoadModel(string path)
    {
        try
        {
            // Training checkpoints carry their step and validation Dice as metadata beside the model arguments.
            return ModelCheckpoint.Load(path, MedSeg.Training.Checkpoints.CheckpointStore.ExtraMetadataKeys);
        }
        catch (Exception e) when (e is SafetensorsFormatException or InvalidDataException or KeyNotFoundException)
        {
            throw new UsageException($"checkpoint {path}: {e.Message}");
        }
    }
}
