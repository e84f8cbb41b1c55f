using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench all [--memory-steps N] [--quick] [--only NAME…]`: runs the lab-scale benchmarks (issue 18) one after
/// another, each in its own child process, and prints one table: every figure before and after, with the target.
/// Sections are rows of <see cref="Sections"/>: another benchmark (e.g. the portal's paging benchmark) joins by adding
/// one entry with its command line and how to read its "before" and "after" from the output.
/// </summary>
internal static partial class BenchAllCommand
{
    /// <summary>One benchmark: its child command line and a reader turning its output into (before, after) cells.</summary>
    internal sealed record Section(string Name, string Target, Func<Settings, string[]> Arguments, Func<string, (string Before, string After)> Read);

    internal sealed record Settings(int MemorySteps, bool Quick);

    internal static readonly Section[] Sections =
    [
        new("UNETR h768 64³ memory", "peak ≤ 2.8 GB, growth 50→1000 ≤ 2 %",
            s => Memory("UNETR", "16", s.Quick ? "32" : "64", s), MemoryCells),
        new("SwinUNETR f48 96³ memory", "flat",
            s => Memory("SwinUNETR", "48", s.Quick ? "32" : "96", s), MemoryCells),
        new("PCT-Net 64×128×128 memory", "flat",
            s => Memory("PCTNet", "0", s.Quick ? "32,32,32" : "64,128,128", s), MemoryCells),
        new("SwinUNETR f12 sliding window", "≥ 1.5× faster, same labels, memory ≤ before",
            s => ["predict", "bench", "--model", "SwinUNETR", "--arg", "feature_size=12", "--size", s.Quick ? "48" : "128,128,96", "--roi", s.Quick ? "32" : "64",
                "--overlap", "0.5", "--mode", "gaussian", "--repeat", "1", "--device", "cpu", "--compare"], PredictCells),
        new("SwinUNETR f12 step beside a CPU hog", "hog ÷ quiet ≤ 1.5",
            s => ["bench", "threads", "--size", s.Quick ? "32" : "64", "--steps", s.Quick ? "1" : "3"], ThreadCells),
        new("NIfTI .nii.gz 512×512×300 int16", "size within 5 % of nibabel, pair ≥ 2× faster",
            s => ["volume", "bench", "--size", s.Quick ? "128,128,60" : "512,512,300"], NiftiCells),
    ];

    public static Command Create()
    {
        var memorySteps = new Option<int>("--memory-steps") { Description = "Steps of each memory benchmark (10..100000).", DefaultValueFactory = _ => 100 };
        var quick = new Option<bool>("--quick") { Description = "Small sizes and few steps: checks the table, not the targets." };
        var only = new Option<string[]>("--only") { Description = "Run only the sections whose name contains one of these words.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("all", "Every lab-scale figure (memory, sliding window, threads, NIfTI) before and after, as one table.") { memorySteps, quick, only };
        command.SetAction(async (r, ct) =>
        {
            var o = r.InvocationConfiguration.Output;
            int steps = r.GetValue(memorySteps);
            if (steps is < 10 or > 100_000) { r.InvocationConfiguration.Error.WriteLine($"error: --memory-steps must be in 10..100000, got {steps}"); return 2; }
            var settings = new Settings(steps, r.GetValue(quick));
            var filter = r.GetValue(only) ?? [];
            var rows = new List<string[]>();
            foreach (var section in Sections.Where(s => filter.Length == 0 || filter.Any(f => s.Name.Contains(f, StringComparison.OrdinalIgnoreCase))))
            {
                o.WriteLine($"# {section.Name}: medseg {string.Join(" ", section.Arguments(settings))}");
                string before, after;
                try
                {
                    var output = await BenchChild.RunForOutputAsync(section.Arguments(settings), null, ct);
                    o.Write(output);
                    (before, after) = section.Read(output);
                }
                catch (InvalidOperationException e)
                {
                    (before, after) = ("failed", e.Message.Split('\n')[0]);
                }
                rows.Add([section.Name, before, after, section.Target]);
            }
            o.WriteLine();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine: {Environment.ProcessorCount} CPUs, {Environment.OSVersion}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(settings.Quick ? ", --quick sizes" : "")}"));
            o.WriteLine("| figure | before | after | target |");
            o.WriteLine("| --- | --- | --- | --- |");
            foreach (var row in rows) o.WriteLine($"| {string.Join(" | ", row)} |");
            return 0;
        });
        return command;
    }

    private static string[] Memory(string model, string feature, string size, Settings s) =>
        ["bench", "train", "--memory", "--compare", "--model", model, "--feature", feature, "--size", size, "--steps", s.MemorySteps.ToString(CultureInfo.InvariantCulture), "--device", "cpu"];

    private static (string, string) MemoryCells(string output) => Cells(output, MemoryLine(), m =>
    {
        string cell = $"step {m.Groups[1].Value}: {m.Groups[2].Value} MB, step {m.Groups[3].Value}: {m.Groups[4].Value} MB, peak {m.Groups[5].Value} MB";
        return cell;
    }, GrowthLine());

    private static (string, string) PredictCells(string output) =>
        Cells(output, PredictLine(), m => $"{m.Groups[1].Value} s/volume, peak {m.Groups[2].Value} MB")
            is var (b, a) && output.Contains("labels: identical", StringComparison.Ordinal) ? (b, a + ", labels identical") : (b, a + ", labels DIFFER");

    private static (string, string) ThreadCells(string output) =>
        Cells(output, ThreadLine(), m => $"quiet {m.Groups[1].Value} ms, hog {m.Groups[2].Value} ms ({m.Groups[3].Value}×)");

    private static (string, string) NiftiCells(string output) =>
        Cells(output, NiftiLine(), m => $"pair {m.Groups[1].Value} s ({m.Groups[2].Value} s CPU), {m.Groups[3].Value} MB");

    /// <summary>The "before: …" and "after: …" lines (or rows labelled before / after) matched by <paramref name="pattern"/>.</summary>
    private static (string Before, string After) Cells(string output, Regex pattern, Func<Match, string> cell, Regex? extra = null)
    {
        string Find(string label)
        {
            var lines = output.Split('\n').Where(l => l.Contains(label, StringComparison.Ordinal)).ToList();
            var m = lines.Select(l => pattern.Match(l)).FirstOrDefault(x => x.Success);
            if (m is null) return "n/a";
            var growth = extra is null ? null : lines.Select(l => extra.Match(l)).FirstOrDefault(x => x.Success);
            return cell(m) + (growth is null ? "" : $", growth 50→{growth.Groups[1].Value}: {growth.Groups[2].Value} %");
        }
        return (Find("before"), Find("after"));
    }

    [GeneratedRegex(@"memory: step (\d+) (\d+) MB, step (\d+) (\d+) MB, peak (\d+) MB")]
    private static partial Regex MemoryLine();

    [GeneratedRegex(@"growth step 50 → (\d+): ([+-]?[\d.]+) %")]
    private static partial Regex GrowthLine();

    [GeneratedRegex(@"mean ([\d.]+) s per volume.*, peak (\d+) MB")]
    private static partial Regex PredictLine();

    [GeneratedRegex(@"quiet\s+(\d+) ms/step\s+with hog\s+(\d+) ms/step\s+ratio ([\d.]+)×")]
    private static partial Regex ThreadLine();

    [GeneratedRegex(@"pair ([\d.]+) s \(([\d.]+) s CPU\)\s+file ([\d.]+) MB")]
    private static partial Regex NiftiLine();
}
