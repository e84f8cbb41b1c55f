using System.CommandLine;
using System.Globalization;
using MedSeg.Core.Generators.VolumeFusion;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg generate volf --source DIR --out OUT --count N [--size D,H,W] [--seed S] [--variant paper|pymic2024]
/// [--classes 5] [--normalisation hu-window|z-score] [--options volf.json] [--keep-sources] [--threads T]`:
/// Volume Fusion pretext samples (MIS-FM) in MSD layout.
/// </summary>
public static class VolfCommands
{
    public static Command CreateGenerate()
    {
        var source = new Option<string>("--source") { Description = "Unlabelled NIfTI images: a plain folder, or an MSD / imported dataset (imagesTr + imagesTs).", Required = true };
        var outDir = new Option<string>("--out") { Description = "Output folder (imagesTr, labelsTr, dataset.json, volf.json, manifest.jsonl); must be new or empty.", Required = true };
        var count = new Option<int>("--count") { Description = $"Number of fused samples (1..{VolfDatasetWriter.MaxCount}).", Required = true };
        var size = new Option<string?>("--size") { Description = "Sub-volume D,H,W (default 64,128,128)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; same sources + options + seed gives byte-identical files.", DefaultValueFactory = _ => 0 };
        var variant = new Option<string?>("--variant") { Description = "paper (default: another volume, 10–40 boxes) or pymic2024 (two views of one volume, block grid)." };
        variant.AcceptOnlyFromAmong("paper", "pymic2024");
        var classes = new Option<int?>("--classes") { Description = "Classes incl. background (default 5: K = 4 fusion weights 0.25..1)." };
        var normalisation = new Option<string?>("--normalisation") { Description = "hu-window (default, −175..250 HU → 0..1) or z-score (per volume)." };
        normalisation.AcceptOnlyFromAmong("hu-window", "z-score");
        var optionsFile = new Option<string?>("--options") { Description = "VolfOptions JSON (see volf.json of a generated dataset); the flags above override it." };
        var keep = new Option<bool>("--keep-sources") { Description = "Also write sources/volf_NNNN_bg|fg.nii.gz, the two normalised crops on the sample grid." };
        var threads = new Option<int>("--threads") { Description = "Samples generated in parallel (0 = all cores).", DefaultValueFactory = _ => 0 };

        var command = new Command("volf", "Volume Fusion (MIS-FM): fuse two unlabelled sub-volumes box by box; the label is each voxel's fusion weight.")
        {
            source, outDir, count, size, seed, variant, classes, normalisation, optionsFile, keep, threads,
        };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(CommandFailures.Run(parseResult, writer =>
        {
            int n = parseResult.GetValue(count);
            if (n < 1 || n > VolfDatasetWriter.MaxCount) throw new UsageException($"--count must be in 1..{VolfDatasetWriter.MaxCount}, got {n}");
            int t = parseResult.GetValue(threads);
            if (t < 0 || t > 256) throw new UsageException($"--threads must be in 0..256, got {t}");
            var options = ReadOptions(parseResult.GetValue(optionsFile));
            if (parseResult.GetValue(size) is { } sizeText) options = options with { Size = ParseTriple("--size", sizeText) };
            if (parseResult.GetValue(variant) is { } v) options = options with { Variant = v == "paper" ? VolfVariant.Paper : VolfVariant.Pymic2024 };
            if (parseResult.GetValue(classes) is { } k) options = options with { Classes = k };
            if (parseResult.GetValue(normalisation) is { } norm)
                options = options with { Normalisation = norm == "z-score" ? VolfNormalisation.ZScore : VolfNormalisation.HuWindow };
            var problems = options.Problems();
            if (problems.Count > 0) throw new UsageException("Volume Fusion options: " + string.Join("; ", problems));

            string dir = parseResult.GetRequiredValue(outDir);
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new UsageException($"--out {dir} exists and is not empty; choose a new folder");
            ulong s = parseResult.GetValue(seed);
            VolfDatasetResult result;
            try
            {
                var sources = VolfSourceSet.FromFolder(parseResult.GetRequiredValue(source), options);
                result = VolfDatasetWriter.Write(sources, options, s, n, dir, parseResult.GetValue(keep), t, cancellationToken);
                writer.WriteLine($"Volume Fusion ({options.Variant.ToString().ToLowerInvariant()}): {n} samples of " +
                                 $"{string.Join("×", options.Size)} from {sources.Count} sources -> {Path.GetFullPath(dir)}");
            }
            catch (VolfSourceException e) { throw new UsageException(e.Message); }
            var c = CultureInfo.InvariantCulture;
            writer.WriteLine(string.Format(c, "Seconds: {0:F2}", result.Elapsed.TotalSeconds));
            writer.WriteLine(string.Format(c, "Samples/s: {0:F2}", result.SamplesPerSecond));
            return 0;
        })));
        return command;
    }

    private static VolfOptions ReadOptions(string? path)
    {
        if (path is null) return VolfOptions.Default;
        try { return VolfOptions.FromJson(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e) { throw new UsageException($"--options {path}: invalid JSON at {e.Path ?? "$"} ({e.Message})"); }
    }

    internal static int[] ParseTriple(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"{option} expects three integers D,H,W like 64,128,128, got '{text}'");
        if (values.Length != 3) throw new UsageException($"{option} expects three integers D,H,W like 64,128,128, got '{text}'");
        return values;
    }
}
