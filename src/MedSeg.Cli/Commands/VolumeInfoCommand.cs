using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg volume info FILE [--json]`: shape, dtype, spacing, affine, value range and, for integer
/// values with at most 256 distinct ones, a label histogram.
/// </summary>
internal static class VolumeInfoCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN for all-NaN volumes
    };

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "NIfTI file (.nii or .nii.gz)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("info", "Show a volume's shape, type, geometry, value range and labels.") { file, json };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, output =>
        {
            var report = Describe(parseResult.GetRequiredValue(file));
            output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(report, Json) : AsText(report));
            return 0;
        }));
        return command;
    }

    /// <summary>What `info` reports, also the JSON shape.</summary>
    internal sealed record Report(
        string File, int[] Shape, string Dtype, double[] Spacing, double[][] Affine, string AffineSource,
        double Min, double Max, double Mean, long NonFiniteCount, SortedDictionary<long, long>? Labels);

    internal static Report Describe(string path)
    {
        var header = NiftiReader.ReadHeader(path);
        var volume = NiftiReader.Read(path);
        var summary = VolumeSummary.Of(volume);
        return new Report(
            path,
            [volume.SizeX, volume.SizeY, volume.SizeZ],
            volume.Type.ToString().ToLowerInvariant(),
            volume.Spacing,
            Enumerable.Range(0, 4).Select(r => volume.Affine[(4 * r)..(4 * r + 4)]).ToArray(),
            header.AffineSource.ToString().ToLowerInvariant(),
            summary.Min, summary.Max, summary.Mean, summary.NonFiniteCount, summary.Labels);
    }

    private static string AsText(Report r)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        w.WriteLine($"file:     {r.File}");
        w.WriteLine($"shape:    {string.Join(" × ", r.Shape)}");
        w.WriteLine($"dtype:    {r.Dtype}");
        w.WriteLine($"spacing:  {string.Join(" × ", r.Spacing.Select(s => s.ToString("0.######", c)))} mm");
        for (int i = 0; i < 4; i++)
        {
            string label = i == 0 ? $"affine:   " : "          ";
            w.WriteLine(label + "[" + string.Join(" ", r.Affine[i].Select(v => v.ToString("0.0000", c).PadLeft(11))) + " ]"
                        + (i == 0 ? $"  ({r.AffineSource})" : ""));
        }
        w.WriteLine($"values:   min {G(r.Min)}, max {G(r.Max)}, mean {G(r.Mean)}"
                    + (r.NonFiniteCount > 0 ? $", {r.NonFiniteCount:N0} non-finite" : ""));
        if (r.Labels is null) w.Write("labels:   none (values are not integers, or more than 256 distinct)");
        else
        {
            w.Write($"labels:   {r.Labels.Count} distinct");
            foreach (var (value, count) in r.Labels) w.Write($"{Environment.NewLine}  {value,8}: {count.ToString("N0", c)}");
        }
        return w.ToString();
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
