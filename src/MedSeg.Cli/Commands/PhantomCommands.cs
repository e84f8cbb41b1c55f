using System.CommandLine;
using System.Globalization;
using MedSeg.Core.Generators.Phantom;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg generate phantom --out DIR --count N [--test-count M] [--size 128,128,48] [--spacing 0.8,0.8,2.5]
/// [--seed S] [--spec FILE] [--noise HU] [--threads T]`: a SYNTHETIC abdominal CT dataset in MSD layout.
/// </summary>
public static class PhantomCommands
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (MSD layout: imagesTr, labelsTr, imagesTs, dataset.json).", Required = true };
        var count = new Option<int>("--count") { Description = "Number of training cases (image + label).", Required = true };
        var testCount = new Option<int>("--test-count") { Description = "Number of test cases (image only, imagesTs).", DefaultValueFactory = _ => 0 };
        var size = new Option<string?>("--size") { Description = "Voxels x,y,z (default 128,128,48)." };
        var spacing = new Option<string?>("--spacing") { Description = "Voxel size in mm x,y,z (default 0.8,0.8,2.5)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; same spec + seed gives byte-identical files.", DefaultValueFactory = _ => 0 };
        var specFile = new Option<string?>("--spec") { Description = "AbdomenPhantomSpec JSON (see spec.json of a generated dataset); --size/--spacing/--noise override it." };
        var noise = new Option<double?>("--noise") { Description = "Gaussian noise sigma in HU (default 15)." };
        var threads = new Option<int>("--threads") { Description = "Volumes generated in parallel (0 = all cores).", DefaultValueFactory = _ => 0 };

        var command = new Command("phantom", "SYNTHETIC abdominal CT phantom: liver, spleen, kidneys, aorta labels on int16 HU images.")
        {
            outDir, count, testCount, size, spacing, seed, specFile, noise, threads,
        };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(CommandFailures.Run(parseResult, writer =>
        {
            int n = parseResult.GetValue(count);
            if (n < 0) throw new UsageException($"--count must be >= 0, got {n}");
            int m = parseResult.GetValue(testCount);
            if (m < 0) throw new UsageException($"--test-count must be >= 0, got {m}");
            int t = parseResult.GetValue(threads);
            if (t < 0) throw new UsageException($"--threads must be >= 0, got {t}");

            string? path = parseResult.GetValue(specFile);
            var spec = path is null ? AbdomenPhantomSpec.Default : AbdomenPhantomSpec.Load(path);
            if (parseResult.GetValue(size) is { } sizeText) spec = spec with { Size = ParseInts("--size", sizeText) };
            if (parseResult.GetValue(spacing) is { } spacingText) spec = spec with { Spacing = ParseDoubles("--spacing", spacingText) };
            if (parseResult.GetValue(noise) is { } sigma) spec = spec with { NoiseSigmaHu = sigma };
            spec = spec.Validated(path ?? "from command line");

            string dir = parseResult.GetRequiredValue(outDir);
            ulong s = parseResult.GetValue(seed);
            var result = PhantomDatasetWriter.Write(spec, s, n, dir, m, t, cancellationToken);
            var c = CultureInfo.InvariantCulture;
            writer.WriteLine($"SYNTHETIC phantom: {n} training + {m} test cases of {string.Join("×", spec.Size)} -> {Path.GetFullPath(dir)}");
            writer.WriteLine(string.Format(c, "Seconds: {0:F2}", result.Elapsed.TotalSeconds));
            writer.WriteLine(string.Format(c, "Volumes/s: {0:F2}", result.VolumesPerSecond));
            writer.WriteLine(string.Format(c, "Mvoxels/s: {0:F2}", result.Elapsed.TotalSeconds > 0 ? result.TotalVoxels / 1e6 / result.Elapsed.TotalSeconds : 0));
            return 0;
        })));
        return command;
    }

    private static int[] ParseInts(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"{option} expects three integers like 128,128,48, got '{text}'");
        if (values.Length != 3) throw new UsageException($"{option} expects three integers like 128,128,48, got '{text}'");
        return values;
    }

    private static double[] ParseDoubles(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"{option} expects three numbers like 0.8,0.8,2.5, got '{text}'");
        if (values.Length != 3) throw new UsageException($"{option} expects three numbers like 0.8,0.8,2.5, got '{text}'");
        return values;
    }
}
