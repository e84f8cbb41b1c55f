using System.CommandLine;
using System.Diagnostics;
using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Cli.Commands;

/// <summary>`medseg bench …`: throughput figures (other areas add their own subcommands to this group).</summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput and print the figures.");
        bench.Add(CreateGenerate());
        bench.Add(PhantomBenchCommand.Create());
        bench.Add(BenchTrainCommand.Create());
        bench.Add(VolfBenchCommand.Create());
        bench.Add(BenchKnnCommand.Create());
        bench.Add(BenchPretextCommand.Create());
        bench.Add(BenchMemoryCommand.Create());
        return bench;
    }

    private static Command CreateGenerate()
    {
        var size = new Option<int>("--size") { Description = "Volume edge in voxels.", DefaultValueFactory = _ => 96 };
        var count = new Option<int>("--count") { Description = "Volumes per measurement.", DefaultValueFactory = _ => 16 };
        var preset = new Option<string>("--preset") { Description = "paper-best or code-default.", DefaultValueFactory = _ => "paper-best" };
        preset.AcceptOnlyFromAmong("paper-best", "code-default");
        var command = new Command("generate", "AVS-DB generation speed: in memory and written as .nii.gz, 1 thread and all cores.")
        {
            size, count, preset,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            int n = parseResult.GetValue(count), edge = parseResult.GetValue(size);
            if (n < 1 || edge < 8) { parseResult.InvocationConfiguration.Error.WriteLine("--count must be >= 1 and --size >= 8"); return Task.FromResult(2); }
            var spec = AvsDbSpec.Preset(parseResult.GetValue(preset)!, edge);
            int cores = Environment.ProcessorCount;
            stdout.WriteLine($"AVS-DB {parseResult.GetValue(preset)} {edge}³, {n} volumes per run, {cores} cores");
            var generator = new AvsDbGenerator(spec, 1);
            // Warm-up outside the timings: tiered compilation recompiles hot methods after ~30 calls and a delay.
            var warmUp = Stopwatch.StartNew();
            for (int w = 0; w < 40 && warmUp.Elapsed < TimeSpan.FromSeconds(1.5); w++) generator.Generate(n + w);

            foreach (int threads in new[] { 1, cores }.Distinct())
            {
                var cpu = CpuTime();
                var clock = Stopwatch.StartNew();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
                    i => generator.Generate(i));
                Print(stdout, "in memory", threads, n, clock.Elapsed, CpuTime() - cpu);
            }
            foreach (int threads in new[] { 1, cores }.Distinct())
            {
                string dir = Path.Combine(Path.GetTempPath(), $"medseg-bench-avsdb-{Guid.NewGuid():N}");
                try
                {
                    var cpu = CpuTime();
                    var result = AvsDbDatasetWriter.Write(spec, 1, n, dir, null, cancellationToken,
                        new AvsDbWriteOptions { MaxDegreeOfParallelism = threads });
                    Print(stdout, "write .nii.gz", threads, n, result.Elapsed, CpuTime() - cpu);
                }
                finally
                {
                    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                }
            }
            return Task.FromResult(0);
        });
        return command;
    }

    // Process CPU time next to wall time: on a shared machine wall-clock figures depend on the other load.
    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    private static void Print(TextWriter stdout, string what, int threads, int n, TimeSpan elapsed, TimeSpan cpu) =>
        stdout.WriteLine(FormattableString.Invariant(
            $"{what,-14} threads {threads,2}: {n / elapsed.TotalSeconds,8:F2} volumes/s  ({elapsed.TotalMilliseconds / n:F1} ms/volume wall, {cpu.TotalMilliseconds / n:F1} ms/volume CPU)"));
}
