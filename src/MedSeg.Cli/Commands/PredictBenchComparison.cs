using System.CommandLine;
using MedSeg.Training.Optimization;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg predict bench … --compare`: the same benchmark in two fresh processes, before (`--baseline`, native tuning
/// off) and after, each writing its last pass's labels; prints both outputs and whether the labels are identical.
/// </summary>
internal static class PredictBenchComparison
{
    public static async Task<int> RunAsync(ParseResult parseResult, TextWriter o, CancellationToken ct)
    {
        // This invocation's own arguments, without --compare (the program path comes first).
        var given = Environment.GetCommandLineArgs().Skip(1).Where(a => a != "--compare").ToList();
        string folder = Path.Combine(Path.GetTempPath(), $"medseg-predict-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var labels = new List<byte[]>();
            foreach (var (label, extra, tuning) in new[] { ("before", new[] { "--baseline" }, "off"), ("after", Array.Empty<string>(), "on") })
            {
                string file = Path.Combine(folder, label + ".bin");
                var output = await BenchChild.RunForOutputAsync([.. given, .. extra, "--labels-out", file],
                    new Dictionary<string, string> { [NativeRuntime.SwitchVariable] = tuning }, ct);
                foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    o.WriteLine($"{label}: {line}");
                labels.Add(File.ReadAllBytes(file));
            }
            bool same = labels[0].AsSpan().SequenceEqual(labels[1]);
            o.WriteLine(same ? "labels: identical" : "labels: DIFFER between before and after");
            return same ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
