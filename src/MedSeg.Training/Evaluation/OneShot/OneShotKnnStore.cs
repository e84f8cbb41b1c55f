using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Training.Runs;
using MedSeg.Core.IO;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// One-shot kNN results kept in a run folder: <c>knn/&lt;dataset&gt;_&lt;protocol&gt;_n&lt;N&gt;_s&lt;seed&gt;.json</c> (the report)
/// beside <c>….transfer.nii.gz</c> (the label transfer of the first target). Later evaluations with the same settings replace
/// earlier ones.
/// </summary>
public static class OneShotKnnStore
{
    public const string Folder = "knn";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The file stem of an evaluation with these options (no extension).</summary>
    public static string Stem(OneShotKnnOptions o)
    {
        var dataset = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(o.Dataset)));
        var safe = new string(dataset.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_').ToArray());
        return $"{safe}_{o.Protocol.ToString().ToLowerInvariant()}_n{o.Atlases}_s{o.Seed}";
    }

    public static string ReportPath(string runDir, OneShotKnnOptions o) => Path.Combine(runDir, Folder, Stem(o) + ".json");

    public static string TransferPath(string runDir, OneShotKnnOptions o) => Path.Combine(runDir, Folder, Stem(o) + ".transfer.nii.gz");

    public static void Save(string runDir, OneShotKnnReport report)
    {
        var path = ReportPath(runDir, report.Options);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Json));
    }

    /// <summary>Every report in the run folder, newest first; unreadable files are skipped.</summary>
    public static IReadOnlyList<OneShotKnnReport> List(string runDir)
    {
        var folder = Path.Combine(runDir, Folder);
        if (!Directory.Exists(folder)) return [];
        var result = new List<OneShotKnnReport>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize<OneShotKnnReport>(File.ReadAllText(file), Json) is { } r) result.Add(r);
            }
            catch (Exception e) when (e is JsonException or IOException) { }
        }
        return result.OrderByDescending(r => r.FinishedAt).ToList();
    }
}
