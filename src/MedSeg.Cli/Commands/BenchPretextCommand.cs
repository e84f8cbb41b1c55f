using System.CommandLine;
using System.Diagnostics;
using MedSeg.Core.Volumes;
using MedSeg.Training.Data;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Methods.SwinSsl;
using MedSeg.Training.Networks;
using MedSeg.Training.Optimization;
using MedSeg.Training.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench pretext`: ms per training step of the self-supervised methods (batch building on this thread, then
/// forward through backbone and heads, loss, backward, AdamW) at the tiny test sizes and at the papers' sizes, plus the
/// batch-building share, process CPU time per step (steadier than wall time on a loaded machine) and peak working set.
/// One measurement per configuration.
/// </summary>
public static class BenchPretextCommand
{
    private sealed record Config(string Name, string Method, string Model, int Crop, int Batch, Dictionary<string, string> Args, int Chunks);

    private static readonly Config[] Configs =
    [
        new("lwi-tiny", "lwi", "UNETR", 32, 2, new() { ["feature_size"] = "4", ["hidden_size"] = "24", ["mlp_dim"] = "48", ["num_heads"] = "2" }, 2),
        new("lwi-paper", "lwi", "UNETR", 96, 2, new() { ["feature_size"] = "16" }, 6),
        new("lwi-swin-paper", "lwi", "SwinUNETR", 96, 2, new() { ["feature_size"] = "48" }, 3),
        new("swin-ssl-tiny", "swin-ssl", "SwinUNETR", 64, 2, new() { ["feature_size"] = "12", ["depths"] = "(1, 1, 1, 1)" }, 0),
        new("swin-ssl-paper", "swin-ssl", "SwinUNETR", 96, 2, new() { ["feature_size"] = "48" }, 0),
    ];

    public static Command Create()
    {
        var configs = new Option<string[]>("--configs")
        {
            Description = $"Configurations: {string.Join(", ", Configs.Select(c => c.Name))}.",
            DefaultValueFactory = _ => Configs.Select(c => c.Name).ToArray(),
            AllowMultipleArgumentsPerToken = true,
        };
        var steps = new Option<int>("--steps") { Description = "Timed steps per configuration (after one warm-up step), 1..100.", DefaultValueFactory = _ => 2 };
        var batch = new Option<int?>("--batch") { Description = "Crops per step for every configuration (default: each configuration's own, 2), 1..64." };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads." };
        var command = new Command("pretext", "Training step speed of LWI and Swin UNETR self-supervision at tiny and paper sizes (CPU or --device).")
        {
            configs, steps, batch, threads,
        };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => "cpu" };
        command.Add(device);
        command.SetAction((r, ct) =>
        {
            var o = r.InvocationConfiguration.Output;
            var err = r.InvocationConfiguration.Error;
            int n = r.GetValue(steps);
            if (n is < 1 or > 100) { err.WriteLine($"--steps must be between 1 and 100, got {n}."); return Task.FromResult(2); }
            if (r.GetValue(batch) is int bb && bb is < 1 or > 64) { err.WriteLine($"--batch must be between 1 and 64, got {bb}."); return Task.FromResult(2); }
            var chosen = new List<Config>();
            foreach (var name in r.GetValue(configs) ?? [])
            {
                var c = Configs.FirstOrDefault(c => c.Name == name);
                if (c is null) { err.WriteLine($"--configs: unknown configuration '{name}' (known: {string.Join(", ", Configs.Select(c => c.Name))})."); return Task.FromResult(2); }
                chosen.Add(r.GetValue(batch) is int b ? c with { Batch = b } : c);
            }
            if (r.GetValue(threads) is int t) torch.set_num_threads(t);
            var dev = DeviceSelector.Resolve(r.GetValue(device));
            o.WriteLine($"device {dev}, {n} timed steps after 1 warm-up, torch threads {torch.get_num_threads()}, {Environment.ProcessorCount} cores");
            o.WriteLine($"{"configuration",-16} {"model",-34} {"crop",5} {"batch",9} {"ms/step",9} {"cpu ms",9} {"batch ms",9} {"peak MB",8}");
            foreach (var c in chosen)
            {
                if (ct.IsCancellationRequested) return Task.FromResult(130);
                string model = $"{c.Model}({string.Join(", ", c.Args.Select(a => $"{a.Key}={a.Value}"))})";
                string shape = c.Method == "swin-ssl" ? $"{c.Batch}×2 views" : $"{c.Batch}";
                try
                {
                    var (ms, cpuMs, batchMs, peak) = Measure(c, n, dev);
                    o.WriteLine($"{c.Name,-16} {model,-34} {c.Crop,4}³ {shape,9} {ms,9:F0} {cpuMs,9:F0} {batchMs,9:F0} {peak / (1024.0 * 1024),8:F0}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    o.WriteLine($"{c.Name,-16} {model,-34} {c.Crop,4}³ {shape,9} could not run: {e.Message.Split('\n')[0]}");
                }
                GC.Collect();
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static (double MsPerStep, double CpuMs, double BatchMs, long PeakBytes) Measure(Config c, int steps, Device device)
    {
        var args = new Dictionary<string, string>(c.Args) { ["in_channels"] = "1", ["out_channels"] = "1" };
        if (c.Model == "UNETR") args["img_size"] = $"({c.Crop}, {c.Crop}, {c.Crop})";
        using var net = GlobalTorchRandom.Seeded(1, () => ModelFactory.Create(c.Model, args));
        var crops = new UnlabelledCrops(new NoiseSource(c.Crop), c.Batch, CropSize.Cube(c.Crop), 1, null);
        Func<long, BatchTensors> build;
        IMethodObjective objective;
        if (c.Method == "lwi")
        {
            var builder = new LwiBatchBuilder(crops, new LwiShuffleMask(c.Chunks, 0.4, 16), perBatchDraws: false, seed: 1);
            objective = new LwiObjective(LwiObjective.HeadsFor(net, c.Chunks), poolAxis: 0);
            build = s => BatchTensors.From(builder.Build(s).ToBatch(), AxisOrder.Zyx, device);
        }
        else
        {
            var builder = new SwinSslBatchBuilder(crops, 1);
            objective = new SwinSslObjective(SwinSslObjective.HeadsFor(net));
            build = s => BatchTensors.From(builder.Build(s).ToBatch(), AxisOrder.Zyx, device);
        }
        using (objective)
        {
            net.to(device);
            var heads = objective.Heads!;
            heads.to(device);
            net.train();
            using var optimizer = new MedSeg.Training.Optimization.AdamW(net.parameters().Concat(heads.parameters()), 1e-4, 0.9, 0.999, 1e-8, 1e-5);
            var clock = new Stopwatch();
            var batchClock = new Stopwatch();
            long peak = 0;
            var cpu = TimeSpan.Zero;
            for (int i = 0; i <= steps; i++)
            {
                if (i == 1) { clock.Restart(); batchClock.Reset(); cpu = Process.GetCurrentProcess().TotalProcessorTime; }
                using var scope = NewDisposeScope();
                batchClock.Start();
                var batch = build(i);
                batchClock.Stop();
                optimizer.zero_grad();
                var terms = objective.Compute(net, batch);
                terms.Total.backward();
                peak = Math.Max(peak, MemoryProbe.WorkingSetBytes());
                optimizer.step();
                _ = terms.Total.item<float>();
            }
            return (clock.Elapsed.TotalMilliseconds / steps, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / steps, batchClock.Elapsed.TotalMilliseconds / steps, peak);
        }
    }

    /// <summary>Uniform noise volumes of one size (the bench measures compute, not I/O).</summary>
    private sealed class NoiseSource(int size) : IVolumeSampleSource
    {
        public int Count => 8;
        public int ClassCount => 2;
        public string Description => "noise";
        public LabeledVolume Load(int index)
        {
            var rng = new SplitMix64((ulong)index + 1);
            var image = new float[size * size * size];
            for (int i = 0; i < image.Length; i++) image[i] = rng.NextInt(1000) / 1000f;
            return new LabeledVolume(new Volume(size, size, size, image), new Volume(size, size, size, new byte[image.Length]), $"noise-{index}");
        }
    }
}
