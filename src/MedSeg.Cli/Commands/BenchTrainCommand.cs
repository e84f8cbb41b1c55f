using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Estimates;
using MedSeg.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench train`: ms per training step (forward, Dice loss, backward, clipping, AdamW) and peak memory
/// for SwinUNETR (feature 12 and 48) and UNETR at 64³ and 96³ on the current device. Each configuration runs
/// in its own child process, so "peak MB" is that configuration's peak resident memory (VmHWM) and not memory
/// an allocator kept from an earlier one. TorchSharp exposes no CUDA allocator statistics, so on a GPU this is
/// host memory. `--in-process` measures in the current process instead (peak is then cumulative).
/// </summary>
public static class BenchTrainCommand
{
    private static readonly (string Name, int Feature, string Label)[] Models =
        [("SwinUNETR", 12, "SwinUNETR f12"), ("SwinUNETR", 48, "SwinUNETR f48"), ("UNETR", 16, "UNETR (f16, h768)")];

    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per configuration (after one warm-up step).", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 1 };
        var sizes = new Option<int[]>("--sizes") { Description = "Crop edges.", DefaultValueFactory = _ => [64, 96], AllowMultipleArgumentsPerToken = true };
        var classes = new Option<int>("--classes") { Description = "Output classes incl. background.", DefaultValueFactory = _ => 17 };
        var inProcess = new Option<bool>("--in-process") { Description = "Measure in this process (no child per configuration)." };
        var single = new Option<string?>("--single") { Description = "Internal: measure one configuration MODEL,FEATURE,SIZE and print one line.", Hidden = true };
        var command = new Command("train", "Training step speed and peak memory for SwinUNETR (f12, f48) and UNETR.")
        {
            device, steps, batch, sizes, classes, inProcess, single,
        };
        command.SetAction(async (r, ct) =>
        {
            var o = r.InvocationConfiguration.Output;
            var dev = DeviceSelector.Resolve(r.GetValue(device));
            if (dev.type == DeviceType.CUDA) DeviceSelector.SetTf32(true);
            int n = Math.Max(1, r.GetValue(steps)), b = Math.Max(1, r.GetValue(batch)), c = r.GetValue(classes);
            if (r.GetValue(single) is string one)
            {
                var parts = one.Split(',');
                var (ms, _) = Measure(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), b, c, n, dev);
                using var self = Process.GetCurrentProcess();
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms:F1} {self.PeakWorkingSet64}"));
                return 0;
            }
            o.WriteLine($"device {dev}, batch {b}, {n} timed steps after 1 warm-up, {c} classes, torch threads {torch.get_num_threads()}");
            o.WriteLine($"{"model",-22} {"crop",5} {"ms/step",10} {"peak MB",9}");
            foreach (int size in r.GetValue(sizes) ?? [64, 96])
                foreach (var (name, feature, label) in Models)
                {
                    if (ct.IsCancellationRequested) return 130;
                    try
                    {
                        var (ms, peak) = r.GetValue(inProcess)
                            ? Measure(name, feature, size, b, c, n, dev)
                            : await MeasureInChildAsync(name, feature, size, b, c, n, r.GetValue(device)!, ct);
                        o.WriteLine($"{label,-22} {size,4}³ {ms,10:F0} {peak / (1024.0 * 1024),9:F0}");
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        o.WriteLine($"{label,-22} {size,4}³ failed: {e.Message.Split('\n')[0]}");
                    }
                }
            return 0;
        });
        return command;
    }

    private static async Task<(double MsPerStep, long PeakBytes)> MeasureInChildAsync(
        string model, int feature, int size, int batch, int classes, int steps, string device, CancellationToken ct)
    {
        var line = await BenchChild.RunAsync(["bench", "train", "--single", $"{model},{feature},{size}", "--device", device,
            "--batch", batch.ToString(CultureInfo.InvariantCulture), "--classes", classes.ToString(CultureInfo.InvariantCulture),
            "--steps", steps.ToString(CultureInfo.InvariantCulture)], ct);
        var fields = line.Split(' ');
        if (fields.Length != 2) throw new InvalidOperationException($"unexpected child output: {line}");
        return (double.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private static (double MsPerStep, long PeakBytes) Measure(string model, int feature, int size, int batch, int classes, int steps, Device device)
    {
        var choice = FdslRunFactory.ModelChoiceFor(new FdslOptions { Model = model, FeatureSize = feature, Crop = size }, classes);
        var result = TrainingStepProbe.Measure(choice, size, batch, classes, steps, device);
        return (result.MsPerStep, result.PeakWorkingSetBytes);
    }
}
