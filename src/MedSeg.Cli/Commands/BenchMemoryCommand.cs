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
    /// <summary><paramref name="Features"/> goes to the family's channel list: <c>features</c> (BasicUNet) or <c>feature_chns</c> (PCT-Net).</summary>
    private sealed record Config(string Name, string Model, int Width, string? Features, int Crop, int Batch)
    {
        public ModelChoice Choice(int classes)
        {
            var key = Model == "PCTNet" ? "feature_chns" : "features";
            var extra = Features is null ? null : new Dictionary<string, string> { [key] = Features };
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
        // PCT-Net (Volume Fusion's network), resolution mode 1, one output; heads [4, 8, 16] divide these channels.
        new("pctnet-8-32-b2", "PCTNet", 0, "[8, 8, 16, 32, 64]", 32, 2),
        new("pctnet-16-64-b1", "PCTNet", 0, "[16, 16, 32, 64, 128]", 64, 1),
        new("pctnet-24-32-b1", "PCTNet", 0, "[24, 48, 128, 256, 512]", 32, 1),
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
    /// The run overhead (what the tiniest configuration adds beyond its counted parts), then one least-squares fit over all
    /// configurations of bytes per parameter (shared) and, per family, activation bytes per voxel = a × width + b; a
    /// coefficient that comes out negative is not memory: its column is dropped and the rest refitted.
    /// </summary>
    private static void PrintFit(TextWriter o, List<(Config Config, RunMemoryRequest Request, double Added)> rows)
    {
        static double Counted(RunMemoryRequest r)
        {
            var e = RunMemoryEstimator.Estimate(r)!;
            return e.ClassBytes + e.BatchBytes;
        }
        var tiny = rows.FirstOrDefault(r => r.Config.Name == Overhead);
        var overhead = tiny.Request is null ? MemoryCalibration.RunOverheadBytes
            : Math.Max(0, tiny.Added - Counted(tiny.Request) - 16.0 * ParameterCount.Of(tiny.Request.Model));
        var points = rows.Where(r => r.Config.Name != Overhead).ToList();
        var families = points.Select(r => r.Request.Model.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // Columns: parameters, then per family (width × voxels, voxels).
        var columns = new List<(string Family, bool PerWidth)> { ("", false) };
        foreach (var f in families) { columns.Add((f, true)); columns.Add((f, false)); }
        double Cell((string Family, bool PerWidth) c, RunMemoryRequest r) =>
            c.Family.Length == 0 ? ParameterCount.Of(r.Model)
            : !c.Family.Equals(r.Model.Name, StringComparison.OrdinalIgnoreCase) ? 0
            : c.PerWidth ? NetworkWidth.Of(r.Model)!.Value * r.StepVoxels : r.StepVoxels;
        var y = points.Select(r => r.Added - overhead - Counted(r.Request)).ToArray();
        double[] x;
        while (true)
        {
            x = LeastSquares(points.Select(r => columns.Select(c => Cell(c, r.Request)).ToArray()).ToArray(), y);
            var worst = Enumerable.Range(0, x.Length).Where(i => x[i] < 0).OrderBy(i => x[i]).FirstOrDefault(-1);
            if (worst < 0) break;
            columns.RemoveAt(worst);
        }
        double Coefficient(string family, bool perWidth) => columns.FindIndex(c => c.Family == family && c.PerWidth == perWidth) is var i and >= 0 ? x[i] : 0;

        var c = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine("Fitted MemoryCalibration (paste):");
        o.WriteLine(string.Create(c, $"    RunOverheadBytes = {overhead / (1 << 20):F0} MiB{(tiny.Request is null ? " (not measured: the current value)" : "")}"));
        o.WriteLine(string.Create(c, $"    BytesPerParameter = {Coefficient("", false):F1}"));
        foreach (var f in families)
            o.WriteLine(string.Create(c, $"    [\"{f}\"] = new(PerWidth: {Coefficient(f, true):F1}, Fixed: {Coefficient(f, false):F1}),"));
        o.WriteLine("With the fitted values:");
        foreach (var (config, request, added) in rows)
        {
            var fitted = config.Name == Overhead ? overhead + Counted(request)
                : overhead + Counted(request) + columns.Select((col, i) => x[i] * Cell(col, request)).Sum();
            o.WriteLine(Row(config.Name, ParameterCount.Of(request.Model), added, fitted));
        }
    }

    /// <summary>Solves the normal equations of <paramref name="a"/> x ≈ <paramref name="y"/> (Gauss–Jordan with pivoting).</summary>
    private static double[] LeastSquares(double[][] a, double[] y)
    {
        int n = a[0].Length;
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a.Sum(row => row[i] * row[j]);
            m[i, n] = a.Select((row, k) => row[i] * y[k]).Sum();
        }
        for (int i = 0; i < n; i++)
        {
            var pivot = Enumerable.Range(i, n - i).MaxBy(r => Math.Abs(m[r, i]));
            for (int j = 0; j <= n; j++) (m[i, j], m[pivot, j]) = (m[pivot, j], m[i, j]);
            if (Math.Abs(m[i, i]) < 1e-300) continue; // a column with no data: stays 0
            for (int r = 0; r < n; r++)
            {
                if (r == i) continue;
                var f = m[r, i] / m[i, i];
                for (int j = i; j <= n; j++) m[r, j] -= f * m[i, j];
            }
        }
        return [.. Enumerable.Range(0, n).Select(i => Math.Abs(m[i, i]) < 1e-300 ? 0 : m[i, n] / m[i, i])];
    }
}
