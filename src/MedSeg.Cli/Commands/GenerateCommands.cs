using System.CommandLine;
using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Cli.Commands;

/// <summary>`medseg generate …`: synthetic dataset generators.</summary>
public static class GenerateCommands
{
    public static Command Create()
    {
        var generate = new Command("generate", "Generate synthetic pre-training datasets.");
        generate.Add(CreateAvsDb());
        generate.Add(PhantomCommands.Create());
        generate.Add(VolfCommands.CreateGenerate());
        return generate;
    }

    private static Command CreateAvsDb()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (MSD / nnU-Net layout); rerun to resume.", Required = true };
        var count = new Option<int>("--count") { Description = "Number of volumes.", Required = true };
        var size = new Option<int?>("--size") { Description = "Volume edge in voxels (default 96 for presets, the spec's own size for --spec); shape sizes scale with it." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; same spec + seed gives byte-identical files.", DefaultValueFactory = _ => 0 };
        var specFile = new Option<string?>("--spec") { Description = "AvsDbSpec JSON file (see spec.json of a generated dataset)." };
        var threads = new Option<int>("--threads") { Description = "Volumes generated in parallel (0 = all cores).", DefaultValueFactory = _ => 0 };
        var preset = new Option<string?>("--preset") { Description = "paper-best (8 xy × 2 z, default) or code-default (8 × 4, the reference code)." };
        preset.AcceptOnlyFromAmong("paper-best", "code-default");

        var command = new Command("avsdb", "AVS-DB: auto-generated volumetric shapes (Tadokoro et al., CVPRW 2023).")
        {
            outDir, count, size, seed, specFile, threads, preset,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            int n = parseResult.GetValue(count);
            if (n < 0) { stderr.WriteLine($"--count must be >= 0, got {n}"); return 2; }
            int t = parseResult.GetValue(threads);
            if (t < 0) { stderr.WriteLine($"--threads must be >= 0, got {t}"); return 2; }
            AvsDbSpec spec;
            try
            {
                spec = ResolveSpec(parseResult.GetValue(specFile), parseResult.GetValue(preset), parseResult.GetValue(size));
            }
            catch (Exception ex) when (ex is AvsDbSpecException or ArgumentException)
            {
                stderr.WriteLine(ex.Message);
                return 2;
            }

            string dir = parseResult.GetValue(outDir)!;
            ulong s = parseResult.GetValue(seed);
            stderr.WriteLine($"AVS-DB: {n} volumes of {spec.VolumeSize}³, {spec.ClassCount} classes, seed {s} -> {Path.GetFullPath(dir)}");
            var bar = new ConsoleProgressBar(stderr);
            try
            {
                var result = await Task.Run(() => AvsDbDatasetWriter.Write(spec, s, n, dir, bar, cancellationToken,
                    new AvsDbWriteOptions { MaxDegreeOfParallelism = t }), cancellationToken);
                long shapes = result.ShapesPlaced + result.ShapesDropped;
                stdout.WriteLine(FormattableString.Invariant($"Volumes: {result.Total} ({result.Written} written, {result.Skipped} already present)"));
                stdout.WriteLine(FormattableString.Invariant($"Seconds: {result.Elapsed.TotalSeconds:F1}"));
                stdout.WriteLine(FormattableString.Invariant($"Volumes/s: {result.VolumesPerSecond:F2}"));
                stdout.WriteLine(FormattableString.Invariant($"Shapes placed: {result.ShapesPlaced}"));
                stdout.WriteLine(FormattableString.Invariant($"Shapes dropped: {result.ShapesDropped} ({(shapes == 0 ? 0 : 100.0 * result.ShapesDropped / shapes):F1}%)"));
                return 0;
            }
            catch (OperationCanceledException)
            {
                stderr.WriteLine();
                stderr.WriteLine("Cancelled. Complete volumes are kept; rerun the same command to resume.");
                return 130;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine();
                stderr.WriteLine($"Error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>--spec file, else the preset (paper-best by default); --size rescales either.</summary>
    internal static AvsDbSpec ResolveSpec(string? specFile, string? preset, int? size)
    {
        if (specFile is not null && preset is not null)
            throw new ArgumentException("Give either --spec or --preset, not both.");
        if (size is { } v && (v < 8 || v > 1024))
            throw new ArgumentException($"--size must be in 8..1024, got {v}");
        var spec = specFile is not null
            ? AvsDbSpec.Load(specFile)
            : AvsDbSpec.Preset(preset ?? "paper-best", size ?? 96);
        if (size is { } s2 && s2 != spec.VolumeSize) spec = spec.ScaledTo(s2);
        return spec.EnsureValid(specFile);
    }
}
