using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Optimization;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench train --memory --model M --size S --steps N [--compare]`: resident memory of one configuration over N
/// training steps (<see cref="TrainingStepProbe"/>): after building the network and optimiser, after steps 1, 10, 50,
/// every 100th and N, and a last line <c>memory: step 10 X MB, step N Y MB, peak P MB</c>. The memory-growth guard is this
/// benchmark, not a timed test. <c>--compare</c> runs the configuration twice in fresh child processes, with the native
/// tuning off ("before", <see cref="NativeRuntime.SwitchVariable"/>=off) and on ("after").
/// </summary>
internal static class TrainMemoryBench
{
    private static readonly int[] Reported = [1, 10, 50];

    public sealed record Config(string Model, int Feature, int[] Size, int Batch, int Classes, int Steps, string Device);

    public static async Task<int> RunAsync(TextWriter o, Config config, bool compare, CancellationToken ct)
    {
        if (!compare) { Measure(o, config, ct); return 0; }
        foreach (var (label, tuning) in new[] { ("before", "off"), ("after", "on") })
        {
            var output = await BenchChild.RunForOutputAsync(ChildArguments(config), new Dictionary<string, string> { [NativeRuntime.SwitchVariable] = tuning }, ct);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                o.WriteLine($"{label}: {line}");
        }
        return 0;
    }

    internal static IEnumerable<string> ChildArguments(Config c)
    {
        var i = CultureInfo.InvariantCulture;
        return ["bench", "train", "--memory", "--model", c.Model, "--feature", c.Feature.ToString(i), "--size", string.Join(",", c.Size),
            "--batch", c.Batch.ToString(i), "--classes", c.Classes.ToString(i), "--steps", c.Steps.ToString(i), "--device", c.Device];
    }

    private static void Measure(TextWriter o, Config c, CancellationToken ct)
    {
        var i = CultureInfo.InvariantCulture;
        var device = DeviceSelector.Resolve(c.Device);
        o.WriteLine(string.Create(i, $"{c.Model} f{c.Feature} {string.Join("×", c.Size)}, batch {c.Batch}, {c.Classes} classes, device {device}, "
                                     + $"torch threads {get_num_threads()}; {NativeRuntime.Description}"));
        long beforeBuild = MemoryProbe.WorkingSetBytes();
        using var step = new TrainingStepProbe(Choice(c), c.Size, c.Batch, c.Classes, device);
        o.WriteLine(string.Create(i, $"start-up: rss {Mb(beforeBuild):F0} MB, {Mb(step.RssAfterNetwork):F0} MB with the network "
                                     + $"({Mb(step.Parameters * 4):F0} MB of parameters), {Mb(MemoryProbe.WorkingSetBytes()):F0} MB with the optimiser"));
        var rss = new Dictionary<int, long>();
        var clock = Stopwatch.StartNew();
        for (int s = 1; s <= c.Steps && !ct.IsCancellationRequested; s++)
        {
            step.Run();
            if (!Reported.Contains(s) && s % 100 != 0 && s != c.Steps) continue;
            rss[s] = MemoryProbe.WorkingSetBytes();
            // Every 100 steps (with the growth since step 50), so a long run stopped early still leaves its figures.
            string growth = s > 50 && rss.TryGetValue(50, out long at50) ? $", {Growth(rss[s], at50)} % since step 50" : "";
            o.WriteLine(string.Create(i, $"step {s}: rss {Mb(rss[s]):F0} MB, peak {Mb(Peak()):F0} MB, {clock.Elapsed.TotalMilliseconds / s:F0} ms/step{growth}"));
            o.Flush();
        }
        int last = rss.Keys.DefaultIfEmpty(0).Max();
        if (last == 0) return;
        int ten = rss.ContainsKey(10) ? 10 : rss.Keys.Min();
        if (rss.ContainsKey(50) && last > 50)
            o.WriteLine($"growth step 50 → {last}: {Growth(rss[last], rss[50])} %");
        o.WriteLine(string.Create(i, $"memory: step {ten} {Mb(rss[ten]):F0} MB, step {last} {Mb(rss[last]):F0} MB, peak {Mb(Peak()):F0} MB"));
    }

    /// <summary>
    /// Growth from <paramref name="from"/> to <paramref name="to"/> in percent, signed, one decimal; anything that rounds to
    /// zero is "+0.0" (a format's negative section printed a value just below zero as "-+0.0").
    /// </summary>
    internal static string Growth(long to, long from)
    {
        double percent = Math.Round(100.0 * (to - from) / from, 1);
        return (percent == 0 ? 0.0 : percent).ToString("+0.0;-0.0", CultureInfo.InvariantCulture);
    }

    /// <summary>PCT-Net in its released form (mode 1, deep supervision) and UNETR, with their input size set to the crop.</summary>
    private static ModelChoice Choice(Config c)
    {
        var i = CultureInfo.InvariantCulture;
        var extra = new Dictionary<string, string>();
        if (c.Model.Equals("PCTNet", StringComparison.OrdinalIgnoreCase))
        {
            extra["input_size"] = string.Create(i, $"[{c.Size[0]}, {c.Size[1]}, {c.Size[2]}]");
            extra["multiscale_pred"] = "True";
        }
        else if (c.Model.Equals("UNETR", StringComparison.OrdinalIgnoreCase))
            extra["img_size"] = string.Create(i, $"({c.Size[0]}, {c.Size[1]}, {c.Size[2]})");
        return ModelChoice.For(c.Model, c.Feature, c.Size[0], c.Classes, extra);
    }

    private static long Peak()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024);
}
