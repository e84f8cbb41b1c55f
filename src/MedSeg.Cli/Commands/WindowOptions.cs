using System.CommandLine;
using System.Globalization;
using MedSeg.Training.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>The sliding-window options shared by `predict` and `predict bench`.</summary>
internal sealed class WindowOptions
{
    private Option<string> Roi { get; } = new("--roi") { Description = "Window size: one value (cube) or Z,Y,X. Default 64, a fine-tuned run's patch size, or a fixed-input model's img_size (UNETR).", DefaultValueFactory = _ => "64" };
    private Option<double> Overlap { get; } = new("--overlap") { Description = "Overlap of neighbouring windows in [0, 1). Default 0.5, or a fine-tuned run's overlap.", DefaultValueFactory = _ => 0.5 };
    private Option<string> Mode { get; } = new("--mode") { Description = "Blending: constant or gaussian. Default gaussian.", DefaultValueFactory = _ => "gaussian" };
    private Option<int> SwBatch { get; } = new("--sw-batch") { Description = "Windows per forward pass. Default 1.", DefaultValueFactory = _ => 1 };
    private Option<string> Device { get; } = new("--device") { Description = "auto, cpu or cuda[:N]. Default auto.", DefaultValueFactory = _ => "auto" };

    public static WindowOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Add(Roi);
        command.Add(Overlap);
        command.Add(Mode);
        command.Add(SwBatch);
        command.Add(Device);
    }

    /// <param name="recorded">A fine-tuned run's recorded settings: its patch size and overlap replace the defaults
    /// of --roi and --overlap (given values still win), as the run's own evaluation used them.</param>
    /// <param name="modelInput">The cube a network with a fixed input size needs (UNETR's img_size): the --roi default when
    /// nothing else sets it, as MONAI users call sliding_window_inference with roi = img_size.</param>
    public SlidingWindowOptions Read(ParseResult parseResult, RecordedPreprocessing? recorded = null, int? modelInput = null)
    {
        var options = ReadGiven(parseResult);
        if (recorded is null)
            return modelInput is int cube && parseResult.GetResult(Roi) is null or { Implicit: true }
                ? new SlidingWindowOptions
                {
                    RoiSize = [cube], Overlap = options.Overlap, Mode = options.Mode, SwBatchSize = options.SwBatchSize,
                    ComputeDevice = options.ComputeDevice, OutputDevice = options.OutputDevice,
                }
                : options;
        return new SlidingWindowOptions
        {
            RoiSize = parseResult.GetResult(Roi) is { Implicit: false } ? options.RoiSize : recorded.Roi,
            Overlap = parseResult.GetResult(Overlap) is { Implicit: false } ? options.Overlap : recorded.Overlap,
            Mode = options.Mode,
            SwBatchSize = options.SwBatchSize,
            ComputeDevice = options.ComputeDevice,
            OutputDevice = options.OutputDevice,
        };
    }

    private SlidingWindowOptions ReadGiven(ParseResult parseResult)
    {
        var roiText = parseResult.GetValue(Roi) ?? "64";
        var parts = roiText.Split(',', StringSplitOptions.TrimEntries);
        var roi = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out roi[i]) || roi[i] < 1)
                throw new UsageException($"--roi '{roiText}' must be one positive integer or three (Z,Y,X).");
        if (roi.Length is not (1 or 3))
            throw new UsageException($"--roi '{roiText}' must be one positive integer or three (Z,Y,X).");
        double overlap = parseResult.GetValue(Overlap);
        if (!(overlap >= 0 && overlap < 1))
            throw new UsageException($"--overlap {overlap.ToString(CultureInfo.InvariantCulture)} must be in [0, 1).");
        int swBatch = parseResult.GetValue(SwBatch);
        if (swBatch < 1) throw new UsageException($"--sw-batch {swBatch} must be at least 1.");
        return new SlidingWindowOptions
        {
            RoiSize = roi,
            Overlap = overlap,
            Mode = BlendModes.Parse(parseResult.GetValue(Mode) ?? "gaussian"),
            SwBatchSize = swBatch,
            ComputeDevice = ResolveDevice(parseResult.GetValue(Device)),
            OutputDevice = CPU,
        };
    }

    private static Device ResolveDevice(string? name)
    {
        try { return MedSeg.Training.Optimization.DeviceSelector.Resolve(name); }
        catch (ArgumentException e) { throw new UsageException($"--device: {e.Message}"); }
    }
}
