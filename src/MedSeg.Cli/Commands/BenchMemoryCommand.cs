using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Optimization;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench memory`: calibrates the run memory estimate (<see cref="RunMemoryEstimator"/>). Each configuration trains
/// a few real steps in its own process; its peak resident memory (VmHWM) less the process's memory before the network
/// was built is what a run adds. Prints measured vs estimated per configuration, then the per-family coefficients
/// fitted by least squares (the table to paste into <see cref="MemoryCalibration"/>) and their error.
/// </summary>
public static class BenchMemoryCommand
{
    private sealed record Config(string Name, string Model, int Width, string? Features, int Crop, int Batch)
    {
        public ModelChoice Choice(int classes)
        {
            var extra = Features is null ? null : new Dictionary<string, string> { ["features"] = Features };
            return ModelChoice.For(Model, Width, Crop, classes, extra);
        }
    }

    // Small enough to run on a loaded 2-core CPU machine in minutes; two widths (or shapes) per family for the fit.
    private const string Overhead = "overhead-basicunet-4-16";

    private static readonly Config[] Configs =
    [
        new(Overhead, "BasicUNet", 0, "(4, 4, 8, 8, 16, 4)", 16, 1), // activations negligible: what every run adds
        new("swin-f12-32-b2", "SwinUNETR", 12, null, 32, 2),
        new("swin-f12-64-b1", "SwinUNETR", 12, null, 64, 1),
        new("swin-f24-32-b2", "SwinUNETR", 24, null, 32, 2),
        new("unetr-f8-32-b2", "UNETR", 8, null, 32, 2),
        new("unetr-f16-64-b1", "UNETR", 16, null, 64, 1),
        new("basicunet-8-32-b2", "BasicUNet", 0, "(8, 8, 16, 32, 64, 8)", 32, 2),
        new("basicunet-16-64-b1", "BasicUNet", 0, "(16, 16, 32, 64, 128, 16)", 64, 1),
    ];

    public static Command Create()
    {
        var names = new Option<string[]>("--configs") { Description = "Configurations to measure (default all).", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Steps after the warm-up step.", DefaultValueFactory = _ => 1 };
        var classes = new Option<int>("--classes") { Description = "Output classes incl. background.", DefaultValueFactory = _ => 17 };
        var single = new Option<string?>("--single") { Description = "Internal: measure one configuration by name.", Hidden = true };
        var command = new Command("memory", "Peak resident memory of training steps per network, and the fitted coefficients of the run memory estimate.")
        {
            names, steps, classes, single,
        };
        command.SetAction(async (r, ct) =>
        {
            var o = r.InvocationConfiguration.Output;
            int n = Math.Max(1, r.GetValue(steps)), c = r.GetValue(classes);
            if (r.GetValue(single) is string one)
            {
                o.WriteLine(MeasureHere(Configs.Single(x => x.Name == one), c, n));
                return 0;
            }
            var chosen = r.GetValue(names) is { Length: > 0 } wanted ? Configs.Where(x => wanted.Contains(x.Name)).ToArray() : Configs;
            o.WriteLine($"CPU, {c} classes, 1 warm-up + {n} steps, one child process per configuration, torch threads {TorchSharp.torch.get_num_threads()}");
            o.WriteLine($"{"configuration",-20} {"params",12} {"measured MB",12} {"estimate MB",12} {"error",7}");
            var rows = new List<(Config Config, RunMemoryRequest Request, double Added)>();
            foreach (var config in chosen)
            {
                if (ct.IsCancellationRequested) return 130;
                try
                {
                    var fields = (await BenchChild.RunAsync(["bench", "memory", "--single", config.Name,
                        "--classes", c.ToString(CultureInfo.InvariantCulture), "--steps", n.ToString(CultureInfo.InvariantCulture)], ct)).Split(' ');
                    double added = long.Parse(fields[1], CultureInfo.InvariantCulture) - long.Parse(fields[0], CultureInfo.InvariantCulture);
                    var request = new RunMemoryRequest(config.Choice(c), config.Crop, config.Batch, c);
                    rows.Add((config, request, added));
                    var estimate = RunMemoryEstimator.Estimate(request)!;
                    o.WriteLine(Row(config.Name, estimate.Parameters, added, estimate.TotalBytes));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    o.WriteLine($"{config.Name,-20} failed: {e.Message.Split('\n')[0]}");
                }
            }
            PrintFit(o, rows);
            return 0;
        });
        return command;
    }

    /// <summary>"BASELINE PEAK": working set before the network is built (torch loaded) and the peak after the steps.</summary>
    private static string MeasureHere(Config config, int classes, int steps)
    {
        using (var warm = ones(8)) _ = warm.sum().item<float>(); // load libtorch before the baseline
        var baseline = MemoryProbe.WorkingSetBytes();
        TrainingStepProbe.Measure(config.Choice(classes), config.Crop, config.Batch, classes, steps, CPU);
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{baseline} {self.PeakWorkingSet64}");
    }

    private static string Row(string name, long parameters, double measured, double estimate) => string.Create(CultureInfo.InvariantCulture,
        $"{name,-20} {parameters,12:N0} {measured / (1 << 20),12:F0} {estimate / (1 << 20),12:F0} {100 * (estimate - measured) / measured,6:F0}%");

    /// <summary>
    /// The run overhead (what the tiniest configuration adds beyond its counted parts), then per family: activation bytes
    /// per voxel = a × width + b, least squares over what the counted parts and the overhead leave.
    /// </summary>
    private static void PrintFit(TextWriter o, List<(Config Config, RunMemoryRequest Request, double Added)> rows)
    {
        double Counted(RunMemoryRequest r)
        {
            var e = RunMemoryEstimator.Estimate(r)!;
            return e.ParameterBytes + e.ClassBytes + e.BatchBytes;
        }
        var tiny = rows.FirstOrDefault(r => r.Config.Name == Overhead);
        var overhead = tiny.Request is null ? MemoryCalibration.RunOverheadBytes : Math.Max(0, tiny.Added - Counted(tiny.Request));
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fitted MemoryCalibration.RunOverheadBytes = {overhead / (1 << 20):F0} MiB{(tiny.Request is null ? " (not measured: the current value)" : "")}"));
        o.WriteLine("Fitted MemoryCalibration.ByFamily (activation bytes per voxel = PerWidth × width + Fixed):");
        var fitted = new Dictionary<string, MemoryCalibration.Coefficients>(StringComparer.OrdinalIgnoreCase);
        foreach (var family in rows.Where(r => r.Config.Name != Overhead).GroupBy(r => r.Request.Model.Name))
        {
            var points = family.Select(r => (Width: NetworkWidth.Of(r.Request.Model)!.Value,
                PerVoxel: Math.Max(0, (r.Added - overhead - Counted(r.Request)) / r.Request.StepVoxels))).ToList();
            var (a, b) = Fit(points);
            fitted[family.Key] = new(a, b);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    [\"{family.Key}\"] = new(PerWidth: {a:F1}, Fixed: {b:F1}),"));
        }
        o.WriteLine("With the fitted values:");
        foreach (var (config, request, added) in rows)
        {
            var c = fitted.GetValueOrDefault(request.Model.Name);
            var activations = config.Name == Overhead || c is null ? 0 : request.StepVoxels * (c.PerWidth * NetworkWidth.Of(request.Model)!.Value + c.Fixed);
            o.WriteLine(Row(config.Name, ParameterCount.Of(request.Model), added, overhead + Counted(request) + activations));
        }
    }

    private static (double A, double B) Fit(List<(double Width, double PerVoxel)> points)
    {
        double n = points.Count, sx = points.Sum(p => p.Width), sy = points.Sum(p => p.PerVoxel);
        double sxx = points.Sum(p => p.Width * p.Width), sxy = points.Sum(p => p.Width * p.PerVoxel);
        var det = n * sxx - sx * sx;
        if (Math.Abs(det) < 1e-9) return (sy / sx, 0); // one width only: all of it per width
        var a = (n * sxy - sx * sy) / det;
        var b = (sy - a * sx) / n;
        // Negative parts are not memory: refit through the origin, or take the mean as fixed.
        if (b < 0) return (sxy / sxx, 0);
        if (a < 0) return (0, sy / n);
        return (a, b);
    }
}
