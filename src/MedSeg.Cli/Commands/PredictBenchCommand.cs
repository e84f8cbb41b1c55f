using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Devices;
using MedSeg.Training.Inference;
using MedSeg.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg predict bench [--model UNETR] [--size 96] [--roi 96] [--repeat 2] [--arg key=value ...]`: times sliding-window
/// passes of a randomly initialised network over a random image (the first pass is reported separately as warm-up), with
/// `--device cuda`: peak GPU memory (NVML, above the reading before the network was built) and the achieved TFLOP/s from
/// the network's forward FLOPs per window (<see cref="FlopCounter"/>) × windows; on the CPU the CPU's figures.
/// </summary>
internal static class PredictBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Architecture (UNETR, SwinUNETR, BasicUNet). Default UNETR.", DefaultValueFactory = _ => "UNETR" };
        var size = new Option<int>("--size") { Description = "Cubic image size. Default 96.", DefaultValueFactory = _ => 96 };
        var repeat = new Option<int>("--repeat") { Description = "Timed passes after the warm-up pass. Default 2.", DefaultValueFactory = _ => 2 };
        var args = new Option<string[]>("--arg") { Description = "Constructor argument key=value (MONAI names), repeatable. UNETR gets img_size = roi unless given.", AllowMultipleArgumentsPerToken = false };
        var window = WindowOptions.Create();
        var command = new Command("bench", "Time sliding-window inference of a random-weight network on a random image.") { model, size, repeat, args };
        window.AddTo(command);
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            var options = window.Read(parseResult);
            int n = parseResult.GetValue(size);
            int passes = parseResult.GetValue(repeat);
            if (n < 1 || passes < 1) throw new UsageException("--size and --repeat must be positive.");
            string name = parseResult.GetValue(model) ?? "UNETR";
            var arguments = ParseArguments(parseResult.GetValue(args) ?? []);
            if (name.Equals("UNETR", StringComparison.OrdinalIgnoreCase) && !arguments.ContainsKey("img_size"))
                arguments["img_size"] = options.RoiSize.Length == 1 ? options.RoiSize[0].ToString(CultureInfo.InvariantCulture)
                    : $"({string.Join(", ", options.RoiSize)})";
            arguments.TryAdd("in_channels", "1");
            arguments.TryAdd("out_channels", "2");

            var gpu = new GpuPeak(options.ComputeDevice!);
            using var net = ModelFactory.Create(name, arguments);
            net.to(options.ComputeDevice!).eval();
            using var image = rand(new long[] { 1, 1, n, n, n });
            int[] roi = Enumerable.Range(0, 3).Select(i => options.RoiSize.Length == 1 ? options.RoiSize[0] : options.RoiSize[i]).ToArray();
            int[] padded = roi.Select(r => Math.Max(n, r)).ToArray();
            int windows = WindowGrid.DensePatchStarts(padded, roi, WindowGrid.ScanIntervals(padded, roi, options.Overlap)).Count;

            var c = CultureInfo.InvariantCulture;
            double flopsPerWindow;
            using (var one = rand(new long[] { 1, 1 }.Concat(roi.Select(r => (long)r)).ToArray()).to(options.ComputeDevice!))
                flopsPerWindow = FlopCounter.Forward(net, one);
            long parameters = net.parameters().Sum(p => p.numel());
            writer.WriteLine(string.Create(c, $"model {name} ({parameters:N0} parameters), image {n}³, roi [{string.Join(", ", options.RoiSize)}], overlap {options.Overlap}, "
                                              + $"mode {options.Mode.ToString().ToLowerInvariant()}, {windows} windows, sw-batch {options.SwBatchSize}, device {options.ComputeDevice}, threads {get_num_threads()}"));
            var times = new List<double>();
            for (int pass = 0; pass <= passes; pass++)
            {
                var clock = Stopwatch.StartNew();
                using (var logits = SlidingWindowInference.Run(image, net.call, options)) { }
                times.Add(clock.Elapsed.TotalSeconds); // the stitched output is on the CPU: the pass has synchronised
                gpu.Sample();
                writer.WriteLine(string.Create(c, $"{(pass == 0 ? "warm-up" : $"pass {pass}")}: {times[^1]:F2} s"));
            }
            var timed = times.Skip(1).ToList();
            writer.WriteLine(string.Create(c, $"mean {timed.Average():F2} s per volume, {timed.Average() / windows:F3} s per window"));
            double tflops = flopsPerWindow * windows / timed.Average() / 1e12;
            bool onGpu = options.ComputeDevice!.type == DeviceType.CUDA;
            string memory = !onGpu ? " (CPU figures: no GPU in use)"
                : gpu.PeakBytes is long peak ? string.Create(c, $", peak GPU memory {peak / (1024.0 * 1024):F0} MB") : ", peak GPU memory not measured (no NVML)";
            writer.WriteLine(string.Create(c, $"{flopsPerWindow / 1e9:F1} GFLOP per window (forward), {tflops:G3} TFLOP/s achieved") + memory);
            return 0;
        }));
        return command;
    }

    private static Dictionary<string, string> ParseArguments(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--arg '{pair}' is not key=value.");
            result[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return result;
    }
}
