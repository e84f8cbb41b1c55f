using System.CommandLine;
using System.Diagnostics;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using MedSeg.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench train`: ms per training step (forward, Dice loss, backward, clipping, AdamW) and peak memory
/// for SwinUNETR (feature 12 and 48) and UNETR at 64³ and 96³ on the current device. Attach under `bench`.
/// Memory: the process working set sampled after each backward (TorchSharp exposes no CUDA allocator stats),
/// as the peak and as the growth over the working set before the model was built (freed memory that the
/// allocator keeps from an earlier configuration inflates the peak, not the growth).
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per configuration (after one warm-up step).", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 1 };
        var sizes = new Option<int[]>("--sizes") { Description = "Crop edges.", DefaultValueFactory = _ => [64, 96], AllowMultipleArgumentsPerToken = true };
        var classes = new Option<int>("--classes") { Description = "Output classes incl. background.", DefaultValueFactory = _ => 17 };
        var command = new Command("train", "Training step speed and peak memory for SwinUNETR (f12, f48) and UNETR.") { device, steps, batch, sizes, classes };
        command.SetAction((r, ct) =>
        {
            var o = r.InvocationConfiguration.Output;
            var dev = DeviceSelector.Resolve(r.GetValue(device));
            if (dev.type == DeviceType.CUDA) DeviceSelector.SetTf32(true);
            int n = Math.Max(1, r.GetValue(steps)), b = Math.Max(1, r.GetValue(batch)), c = r.GetValue(classes);
            o.WriteLine($"device {dev}, batch {b}, {n} timed steps after 1 warm-up, {c} classes, torch threads {torch.get_num_threads()}");
            o.WriteLine($"{"model",-22} {"crop",5} {"ms/step",10} {"peak MB",9} {"+MB",7}");
            foreach (int size in r.GetValue(sizes) ?? [64, 96])
                foreach (var (name, feature) in new[] { ("SwinUNETR", 12), ("SwinUNETR", 48), ("UNETR", 16) })
                {
                    if (ct.IsCancellationRequested) return Task.FromResult(130);
                    var label = name == "UNETR" ? "UNETR (f16, h768)" : $"{name} f{feature}";
                    try
                    {
                        GC.Collect();
                        long before = MemoryProbe.WorkingSetBytes();
                        var (ms, peak) = Measure(name, feature, size, b, c, n, dev);
                        o.WriteLine($"{label,-22} {size,4}³ {ms,10:F0} {peak / (1024.0 * 1024),9:F0} {(peak - before) / (1024.0 * 1024),7:F0}");
                    }
                    catch (Exception e)
                    {
                        o.WriteLine($"{label,-22} {size,4}³ failed: {e.Message.Split('\n')[0]}");
                    }
                    GC.Collect();
                }
            return Task.FromResult(0);
        });
        return command;
    }

    private static (double MsPerStep, long PeakBytes) Measure(string model, int feature, int size, int batch, int classes, int steps, Device device)
    {
        var options = new FdslOptions { Model = model, FeatureSize = feature, Crop = size };
        var choice = FdslRunFactory.ModelChoiceFor(options, classes);
        using var net = ModelFactory.Create(choice.Name, choice.Args);
        net.to(device);
        net.train();
        using var optimizer = optim.AdamW(net.parameters(), 1e-4, 0.9, 0.999, 1e-8, 1e-5);
        var loss = new DiceLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true });
        long peak = 0;
        var clock = new Stopwatch();
        for (int i = 0; i <= steps; i++)
        {
            if (i == 1) clock.Start(); // step 0 warms up
            using var scope = NewDisposeScope();
            var x = torch.randn(new long[] { batch, 1, size, size, size }).to(device);
            var y = torch.randint(0L, (long)classes, new long[] { batch, 1, size, size, size }, ScalarType.Int64).to(device);
            optimizer.zero_grad();
            var value = loss.Compute(net.call(x), y);
            value.backward();
            peak = Math.Max(peak, MemoryProbe.WorkingSetBytes());
            nn.utils.clip_grad_norm_(net.parameters(), 1.0);
            optimizer.step();
            _ = value.item<float>(); // synchronises CUDA
        }
        return (clock.Elapsed.TotalMilliseconds / steps, peak);
    }
}
