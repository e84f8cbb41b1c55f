using System.CommandLine;
using MedSeg.Core.Benchmarks;
using MedSeg.Training.Benchmarks;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg benchmark run --protocol P.json --pretrained RUN[,RUN…] --out DIR [--resume]`: every cell of a protocol
/// (methods × datasets × budgets × seeds) as a fine-tune run folder under DIR/cells, finished cells never re-run;
/// `medseg benchmark table DIR [--metric M] [--latex|--csv [--summary]|--html] [--output FILE]`: the comparison table.
/// </summary>
public static class BenchmarkCommand
{
    public static Command Create()
    {
        var command = new Command("benchmark", "Benchmark protocols: fine-tune pretrained runs over datasets × label budgets × seeds and tabulate.");
        command.Add(CreateRun());
        command.Add(CreateTable());
        return command;
    }

    private static Command CreateRun()
    {
        var protocol = new Option<string>("--protocol") { Description = "Protocol JSON (name, version, datasets, budgets, seeds, fineTune, metrics).", Required = true };
        var pretrained = new Option<string[]>("--pretrained")
        {
            Description = "Methods, comma-separated or repeated: run folders (any pretraining method), 'scratch', 'safetensors:FILE'.",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "Benchmark folder (benchmark.json, cells/<method>/<dataset>/budget-B/seed-S/).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue a benchmark folder: run only cells not yet finished (added seeds, budgets, methods included)." };
        var device = new Option<string?>("--device") { Description = "Override the protocol's fineTune.device (auto, cpu, cuda[:N])." };
        var threads = new Option<int?>("--threads") { Description = "Override fineTune.torchThreads." };
        var seeds = new Option<string?>("--seeds") { Description = "Run now only these of the protocol's seeds (comma-separated); the rest stay pending for a later --resume." };
        var command = new Command("run", "Run every missing cell of a protocol for the given pretraining runs.") { protocol, pretrained, output, resume, device, threads, seeds };
        command.SetAction(async (r, ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            try
            {
                var file = r.GetValue(protocol)!;
                if (!File.Exists(file)) throw new ArgumentException($"--protocol '{file}' does not exist.");
                var p = BenchmarkProtocol.FromJson(File.ReadAllText(file), file);
                var baseDir = Path.GetDirectoryName(Path.GetFullPath(file))!;
                p.Datasets = p.Datasets.Select(d => Path.GetFullPath(d, baseDir)).ToList();
                if (r.GetValue(device) is { } dev) p.FineTune.Device = dev;
                if (r.GetValue(threads) is int t) p.FineTune.TorchThreads = t;
                var methods = (r.GetValue(pretrained) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(BenchmarkMethod.Parse).ToList();
                var only = r.GetValue(seeds)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(v => long.TryParse(v, out var n) ? n : throw new ArgumentException($"--seeds expects whole numbers like 1,2, got '{v}'.")).ToList();
                var runner = new BenchmarkRunner(r.GetValue(output)!, p, methods, r.GetValue(resume), only);
                stdout.WriteLine($"benchmark '{p.Name}' v{p.Version}: {methods.Count} methods × {p.Datasets.Count} datasets × {p.Budgets.Count} budgets × {p.Seeds.Count} seeds -> {runner.Folder}");
                var summary = await ForegroundRun.Start(() => runner.Run(line => { stdout.WriteLine(line); stdout.Flush(); }, null, ct), _ => { });
                stdout.WriteLine($"{summary.Ran} cells run, {summary.Skipped} already finished, {summary.Failed.Count} failed, {summary.Total} in the grid");
                foreach (var (cell, error) in summary.Failed) stderr.WriteLine($"failed: {cell}: {error}");
                return summary.Cancelled ? 130 : summary.Failed.Count > 0 ? 1 : 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or TrainingException)
            {
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command CreateTable()
    {
        var dir = new Argument<string>("dir") { Description = "Benchmark folder written by `medseg benchmark run`." };
        var metric = new Option<string?>("--metric") { Description = "dice (default), assd, hd95 or dice:<organ> (with dice_per_class in the protocol)." };
        var latex = new Option<bool>("--latex") { Description = "LaTeX booktabs table." };
        var csv = new Option<bool>("--csv") { Description = "Tidy CSV: method,dataset,budget,seed,metric,value (every metric)." };
        var summary = new Option<bool>("--summary") { Description = "With --csv: one row per method × dataset × budget: mean,sd,n,pairs,p_vs_scratch." };
        var html = new Option<bool>("--html") { Description = "Self-contained HTML report (tables, plots, protocol, config diff)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command("table", "The comparison table of a benchmark folder (mean ± sd over seeds, best bold, Wilcoxon vs scratch).")
        {
            dir, metric, latex, csv, summary, html, output,
        };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            int formats = new[] { parseResult.GetValue(latex), parseResult.GetValue(csv), parseResult.GetValue(html) }.Count(x => x);
            if (formats > 1) throw new UsageException("Choose one of --latex, --csv and --html.");
            if (parseResult.GetValue(summary) && !parseResult.GetValue(csv)) throw new UsageException("--summary goes with --csv.");
            BenchmarkResults results;
            try { results = BenchmarkResults.Load(parseResult.GetValue(dir)!); }
            catch (InvalidDataException e) { throw new UsageException(e.Message); }
            var scores = results.Scores;
            var m = parseResult.GetValue(metric) ?? results.Manifest.Protocol.Metrics.FirstOrDefault(x => x != BenchmarkMetric.DicePerClass) ?? BenchmarkMetric.Dice;
            var available = results.MetricNames;
            if (scores.Count > 0 && !available.Contains(m))
                throw new UsageException($"--metric '{m}' is not in this benchmark; it has {string.Join(", ", available)}.");
            var table = BenchmarkTable.Build(scores, m, BenchmarkTable.DefaultBaseline, results.MethodOrder);
            string text;
            if (parseResult.GetValue(latex)) text = BenchmarkLatex.Write(table, $"{results.Manifest.Protocol.Name} v{results.Manifest.Protocol.Version}: {BenchmarkMetric.Display(m)}");
            else if (parseResult.GetValue(csv)) text = parseResult.GetValue(summary) ? BenchmarkCsv.Summary(table) : BenchmarkCsv.Tidy(scores);
            else if (parseResult.GetValue(html))
                text = BenchmarkHtmlReport.Write($"{results.Manifest.Protocol.Name} v{results.Manifest.Protocol.Version}", scores,
                    available.Where(x => x == m).Concat(available.Where(x => x != m)).ToList(), results.Manifest.Protocol.ToJson(), results.Configs(), results.MethodOrder);
            else text = PlainText(results, table);
            if (parseResult.GetValue(output) is { } file) File.WriteAllText(file, text);
            else writer.Write(text);
            return 0;
        }));
        return command;
    }

    private static string PlainText(BenchmarkResults results, BenchmarkTable table)
    {
        var w = new StringWriter();
        var states = results.Cells.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Count());
        w.WriteLine($"{results.Manifest.Protocol.Name} v{results.Manifest.Protocol.Version}: {results.Cells.Count} cells, " +
                    $"{states.GetValueOrDefault(CellState.Done)} done, {states.GetValueOrDefault(CellState.Running)} running, " +
                    $"{states.GetValueOrDefault(CellState.Pending)} pending, {states.GetValueOrDefault(CellState.Failed)} failed");
        w.WriteLine($"{BenchmarkMetric.Display(table.Metric)}, mean ± sd over seeds (* best per column; p: Wilcoxon vs {table.Baseline ?? "-"}):");
        var header = new[] { "method" }.Concat(table.Columns.Select(c => c.ToString())).ToList();
        var rows = table.Methods.Select(m => new[] { m }.Concat(table.Columns.Select(c => table.Cell(m, c) is { } cell
            ? (cell.Best ? "*" : "") + BenchmarkFormat.MeanSd(cell) + (BenchmarkFormat.Test(cell) is { Length: > 0 } t ? $" [{t}]" : "")
            : "-")).ToList()).ToList();
        EvaluationTable.Print(w, header, rows);
        return w.ToString();
    }
}
