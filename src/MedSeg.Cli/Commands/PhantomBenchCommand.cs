using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.Generators;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Randomness;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench phantom [--size 128,128,48] [--count 8]`: SYNTHETIC phantom generation (1 thread and all cores,
/// wall and CPU time) and the abdominal preprocessing recipe (prepare + 4 patches of 96³) per volume.
/// </summary>
public static class PhantomBenchCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Phantom voxels x,y,z.", DefaultValueFactory = _ => "128,128,48" };
        var count = new Option<int>("--count") { Description = "Volumes per measurement.", DefaultValueFactory = _ => 8 };
        var command = new Command("phantom", "SYNTHETIC phantom generation and preprocessing speed.") { size, count };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            int n = parseResult.GetValue(count);
            if (n < 1) throw new UsageException($"--count must be >= 1, got {n}");
            var dims = parseResult.GetRequiredValue(size).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var spec = (AbdomenPhantomSpec.Default with { Size = dims }).Validated("--size");
            var generator = new AbdomenPhantomGenerator(spec, 1);
            int cores = Environment.ProcessorCount;
            writer.WriteLine($"SYNTHETIC phantom {string.Join("×", dims)}, {n} volumes per run, {cores} cores");
            generator.Generate(n); // warm-up (JIT) outside the timings

            foreach (int threads in new[] { 1, cores }.Distinct())
            {
                var cpu = CpuTime();
                var clock = Stopwatch.StartNew();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => generator.Generate(i));
                Print(writer, "generate", threads, n, clock.Elapsed, CpuTime() - cpu);
            }

            var samples = Enumerable.Range(0, n).Select(generator.Generate).ToArray();
            var pipeline = new PreprocessingPipeline(PreprocessingOptions.Default);
            var steps = new Dictionary<string, TimeSpan>();
            var prepareCpu = CpuTime();
            var prepareClock = Stopwatch.StartNew();
            var prepared = samples.Select(s => pipeline.Prepare(s.Image, s.Label,
                (step, t) => steps[step] = steps.GetValueOrDefault(step) + t)).ToArray();
            Print(writer, "prepare", 1, n, prepareClock.Elapsed, CpuTime() - prepareCpu);
            foreach (var (step, t) in steps)
                writer.WriteLine(FormattableString.Invariant($"  {step,-16} {t.TotalMilliseconds / n,8:F1} ms/volume"));
            var augmentCpu = CpuTime();
            var augmentClock = Stopwatch.StartNew();
            var rng = new DeterministicRandom(1);
            foreach (var p in prepared) pipeline.Augment(p, rng);
            Print(writer, "augment (4×96³)", 1, n, augmentClock.Elapsed, CpuTime() - augmentCpu);
            return 0;
        }));
        return command;
    }

    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    private static void Print(TextWriter stdout, string what, int threads, int n, TimeSpan elapsed, TimeSpan cpu) =>
        stdout.WriteLine(FormattableString.Invariant(
            $"{what,-16} threads {threads,2}: {n / elapsed.TotalSeconds,8:F2} volumes/s  ({elapsed.TotalMilliseconds / n:F1} ms/volume wall, {cpu.TotalMilliseconds / n:F1} ms/volume CPU)"));
}
