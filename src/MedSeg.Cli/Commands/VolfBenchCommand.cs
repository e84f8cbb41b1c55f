using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench volf`: Volume Fusion samples/s at a sub-volume size (default 64×128×128) with 1 and 2 threads, and
/// PCT-Net (released channels, resolution mode 1, deep supervision) ms per training step and peak memory at that size,
/// batch 1, on the CPU. PCT-Net is measured first, so the process's peak resident memory (VmHWM) is its figure.
/// </summary>
public static class VolfBenchCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Sub-volume D,H,W.", DefaultValueFactory = _ => "64,128,128" };
        var samples = new Option<int>("--samples") { Description = "Fused samples per thread count (1..1000).", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Timed PCT-Net steps after one warm-up (0 = skip PCT-Net, 1..100).", DefaultValueFactory = _ => 2 };
        var threads = new Option<int?>("--torch-threads") { Description = "torch intra-op threads for PCT-Net (default: libtorch's)." };
        var command = new Command("volf", "Volume Fusion samples/s (1 and 2 threads) and PCT-Net ms/step + peak memory on the CPU.") { size, samples, steps, threads };
        command.SetAction((r, ct) => Task.FromResult(CommandFailures.Run(r, o =>
        {
            var d = VolfCommands.ParseTriple("--size", r.GetValue(size)!);
            int n = r.GetValue(samples), k = r.GetValue(steps);
            if (n < 1 || n > 1000) throw new UsageException($"--samples must be in 1..1000, got {n}");
            if (k < 0 || k > 100) throw new UsageException($"--steps must be in 0..100, got {k}");
            if (r.GetValue(threads) is { } t)
            {
                if (t < 1 || t > 256) throw new UsageException($"--torch-threads must be in 1..256, got {t}");
                torch.set_num_threads(t);
            }
            var c = CultureInfo.InvariantCulture;
            var options = new VolfOptions { Size = d };
            if (options.Problems() is { Count: > 0 } problems) throw new UsageException(string.Join("; ", problems));
            o.WriteLine($"sub-volume {string.Join("×", d)}, {Environment.ProcessorCount} cores, torch threads {torch.get_num_threads()}");

            if (k > 0)
            {
                var (ms, peak) = MeasurePctNet(d, k);
                o.WriteLine(string.Format(c, "PCT-Net released channels [{0}], mode 1, batch 1, CPU: {1:F0} ms/step, peak {2:F0} MB",
                    string.Join(", ", PctNet.ReleasedFeatures), ms, peak / (1024.0 * 1024)));
            }

            // Sources large enough for the crop (phantom CT, x = W, y = H, z = D), normalised once before timing.
            var spec = AbdomenPhantomSpec.Default with { Size = [Math.Max(d[2] + 32, 64), Math.Max(d[1] + 32, 64), Math.Max(d[0] + 16, 16)] };
            var sources = VolfPhantomSources.Create(spec, 1, 4, options);
            sources.CheckAll();
            var sampler = new VolfSampler(sources, options, 1);
            for (int w = 0; w < 3; w++) sampler.Generate(100_000 + w); // JIT warm-up outside the timings
            foreach (int th in new[] { 1, 2 })
            {
                var clock = Stopwatch.StartNew();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = th, CancellationToken = ct }, i => sampler.Generate(i));
                o.WriteLine(string.Format(c, "VolF paper samples, {0} thread{1}: {2:F2} samples/s ({3} in {4:F2} s)",
                    th, th == 1 ? "" : "s", n / clock.Elapsed.TotalSeconds, n, clock.Elapsed.TotalSeconds));
            }
            return 0;
        })));
        return command;
    }

    private static (double MsPerStep, long PeakBytes) MeasurePctNet(int[] size, int steps)
    {
        var choice = ModelChoice.For("PCTNet", 0, size[0], 5, new Dictionary<string, string>
        {
            ["input_size"] = $"[{size[0]}, {size[1]}, {size[2]}]", ["multiscale_pred"] = "True",
        });
        using var net = (PctNet)ModelFactory.Create(choice.Name, choice.Args);
        net.train();
        using var optimizer = new MedSeg.Training.Optimization.Adam(net.parameters(), 1e-3, 0.9, 0.99, 1e-8, 1e-5);
        var loss = new DeepSupervisionLoss(new PymicDiceCeLoss());
        var clock = new Stopwatch();
        for (int i = 0; i <= steps; i++)
        {
            if (i == 1) clock.Start(); // step 0 warms up
            using var scope = NewDisposeScope();
            var x = randn([1, 1, size[0], size[1], size[2]]);
            var y = randint(0L, 5L, [1, 1, size[0], size[1], size[2]], ScalarType.Int64);
            optimizer.zero_grad();
            var value = loss.Compute(net.ForwardMultiscale(x), y);
            value.backward();
            optimizer.step();
            _ = value.item<float>();
        }
        using var self = Process.GetCurrentProcess();
        return (clock.Elapsed.TotalMilliseconds / steps, self.PeakWorkingSet64);
    }
}
