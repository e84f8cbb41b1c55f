using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Benchmarks;
using MedSeg.Training.Devices;
using MedSeg.Training.Inference;
using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Optimization;
using MedSeg.Training.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg predict bench [--model UNETR] [--size 96] [--roi 96] [--repeat 2] [--arg key=value ...]`: times sliding-window
/// passes of a randomly initialised network over a random image (the first pass is reported separately as warm-up), with
/// `--device cuda`: peak GPU memory (NVML, above the reading before the network was built) and the achieved TFLOP/s from
/// the network's forward FLOPs per window (<see cref="FlopCounter"/>) × windows; on the CPU the CPU's figures.
/// Weights and image are seeded; the process's peak resident memory is printed. `--compare` runs it twice in fresh child processes: "before" with
/// `--baseline` (shifted-window masks recomputed every forward, MONAI's explicit window attention instead of the fused
/// kernel, no_grad instead of inference mode, sw-batch 1, native tuning off) and "after" (this build's defaults), and checks that both give identical labels (argmax).
/// </summary>
internal static class PredictBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Architecture (UNETR, SwinUNETR, BasicUNet). Default UNETR.", DefaultValueFactory = _ => "UNETR" };
        var size = new Option<string>("--size") { Description = "Image size: one edge or D,H,W (8..512). Default 96.", DefaultValueFactory = _ => "96" };
        var repeat = new Option<int>("--repeat") { Description = "Timed passes after the warm-up pass. Default 2.", DefaultValueFactory = _ => 2 };
        var args = new Option<string[]>("--arg") { Description = "Constructor argument key=value (MONAI names), repeatable. UNETR gets img_size = roi unless given.", AllowMultipleArgumentsPerToken = false };
        var compare = new Option<bool>("--compare") { Description = "Run before (--baseline, native tuning off) and after in fresh processes; check identical labels." };
        var baseline = new Option<bool>("--baseline") { Description = "The previous inference path: masks recomputed per forward, explicit window attention, no_grad, sw-batch 1.", Hidden = true };
        var profile = new Option<bool>("--profile") { Description = "After the warm-up pass, print CPU seconds (user, system) and page faults per section of the network and the sliding-window loop, per pass." };
        var labelsOut = new Option<string?>("--labels-out") { Description = "Internal: write the last pass's argmax labels (int64, raw) here.", Hidden = true };
        var window = WindowOptions.Create();
        var command = new Command("bench", "Time sliding-window inference of a random-weight network on a random image.") { model, size, repeat, args, compare, baseline, profile, labelsOut };
        window.AddTo(command);
        command.SetAction(async (parseResult, ct) =>
        {
            if (parseResult.GetValue(compare)) return await PredictBenchComparison.RunAsync(parseResult, parseResult.InvocationConfiguration.Output, ct);
            return Measure(parseResult);
        });
        return command;

        int Measure(ParseResult parseResult) => CommandFailures.Run(parseResult, writer =>
        {
            var options = window.Read(parseResult);
            if (parseResult.GetValue(baseline))
            {
                ShiftMaskCache.Enabled = false;
                WindowAttention.FusedInference = false;
                options = new SlidingWindowOptions
                {
                    RoiSize = options.RoiSize, Overlap = options.Overlap, Mode = options.Mode, SwBatchSize = 1, InferenceMode = false,
                    ComputeDevice = options.ComputeDevice, OutputDevice = options.OutputDevice,
                };
            }
            int[] shape = ShapeArgument.Parse(parseResult.GetValue(size), "--size", 8, 512);
            int passes = parseResult.GetValue(repeat);
            if (passes < 1) throw new UsageException("--repeat must be positive.");
            string name = parseResult.GetValue(model) ?? "UNETR";
            var arguments = ParseArguments(parseResult.GetValue(args) ?? []);
            if (name.Equals("UNETR", StringComparison.OrdinalIgnoreCase) && !arguments.ContainsKey("img_size"))
                arguments["img_size"] = options.RoiSize.Length == 1 ? options.RoiSize[0].ToString(CultureInfo.InvariantCulture)
                    : $"({string.Join(", ", options.RoiSize)})";
            arguments.TryAdd("in_channels", "1");
            arguments.TryAdd("out_channels", "2");

            var gpu = new GpuPeak(options.ComputeDevice!);
            using var net = GlobalTorchRandom.Seeded(1, () => ModelFactory.Create(name, arguments));
            net.to(options.ComputeDevice!).eval();
            using var image = GlobalTorchRandom.Seeded(2, () => rand(new long[] { 1, 1 }.Concat(shape.Select(s => (long)s)).ToArray()));
            int[] roi = Enumerable.Range(0, 3).Select(i => options.RoiSize.Length == 1 ? options.RoiSize[0] : options.RoiSize[i]).ToArray();
            int[] padded = roi.Zip(shape, Math.Max).ToArray();
            int windows = WindowGrid.DensePatchStarts(padded, roi, WindowGrid.ScanIntervals(padded, roi, options.Overlap)).Count;

            var c = CultureInfo.InvariantCulture;
            double flopsPerWindow;
            using (var one = rand(new long[] { 1, 1 }.Concat(roi.Select(r => (long)r)).ToArray()).to(options.ComputeDevice!))
                flopsPerWindow = FlopCounter.Forward(net, one);
            long parameters = net.parameters().Sum(p => p.numel());
            writer.WriteLine(string.Create(c, $"model {name} ({parameters:N0} parameters), image {string.Join("×", shape)}, roi [{string.Join(", ", options.RoiSize)}], overlap {options.Overlap}, "
                                              + $"mode {options.Mode.ToString().ToLowerInvariant()}, {windows} windows, sw-batch {options.SwBatchSize}, device {options.ComputeDevice}, threads {get_num_threads()}, {LoadAverage.Describe()}"));
            var times = new List<double>();
            var cpuSeconds = new List<double>(); // on a shared machine the CPU time says more than the wall time
            bool profiling = parseResult.GetValue(profile);
            for (int pass = 0; pass <= passes; pass++)
            {
                if (profiling && pass == 1) { CpuProfile.Reset(); CpuProfile.Enabled = true; }
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                using (var logits = SlidingWindowInference.Run(image, net.call, options))
                {
                    times.Add(clock.Elapsed.TotalSeconds); // the stitched output is on the CPU: the pass has synchronised
                    cpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                    if (pass == passes && parseResult.GetValue(labelsOut) is string labels)
                    {
                        using var argmax = logits.argmax(1);
                        File.WriteAllBytes(labels, argmax.data<long>().ToArray().SelectMany(BitConverter.GetBytes).ToArray());
                    }
                }
                gpu.Sample();
                NativeRuntime.ReleaseFreedMemory();
                writer.WriteLine(string.Create(c, $"{(pass == 0 ? "warm-up" : $"pass {pass}")}: {times[^1]:F2} s ({cpuSeconds[^1]:F2} s CPU), sw-batch {SlidingWindowInference.SwBatchUsed}"));
            }
            CpuProfile.Enabled = false;
            if (profiling) writer.Write(CpuProfile.Report(passes));
            var timed = times.Skip(1).ToList();
            using var self = Process.GetCurrentProcess();
            writer.WriteLine($"at the end: {LoadAverage.Describe()}");
            writer.WriteLine(string.Create(c, $"mean {timed.Average():F2} s per volume ({cpuSeconds.Skip(1).Average():F2} s CPU), {timed.Average() / windows:F3} s per window, peak {self.PeakWorkingSet64 / (1024.0 * 1024):F0} MB"));
            double tflops = flopsPerWindow * windows / timed.Average() / 1e12;
            bool onGpu = options.ComputeDevice!.type == DeviceType.CUDA;
            string memory = !onGpu ? " (CPU figures: no GPU in use)"
                : gpu.PeakBytes is long peak ? string.Create(c, $", peak GPU memory {peak / (1024.0 * 1024):F0} MB") : ", peak GPU memory not measured (no NVML)";
            writer.WriteLine(string.Create(c, $"{flopsPerWindow / 1e9:F1} GFLOP per window (forward), {tflops:G3} TFLOP/s achieved") + memory);
            return 0;
        });
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
