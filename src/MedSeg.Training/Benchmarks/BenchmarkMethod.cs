using System.Text.Json;
using System.Text.RegularExpressions;
using MedSeg.Training.FineTune;

namespace MedSeg.Training.Benchmarks;

/// <summary>
/// One row of a benchmark: where the fine-tunes start from. <see cref="Key"/> names its cell folders, <see cref="Label"/>
/// is what the table shows (run name + method), <see cref="Init"/> is the fine-tune's init ("scratch", "run:DIR",
/// "safetensors:FILE"). Method-agnostic: a run folder of any pretraining method works (its config.json's "method" is
/// shown when recorded; FDSL runs, which predate that field, show "fdsl").
/// </summary>
public sealed partial record BenchmarkMethod(string Key, string Label, string Init)
{
    public const string Scratch = "scratch";
    public const int MaxMethods = 100;

    public bool IsScratch => Key == Scratch;

    /// <summary>"scratch", "safetensors:FILE", "run:DIR" or a run folder; the file or folder must exist.</summary>
    public static BenchmarkMethod Parse(string text)
    {
        var t = text.Trim();
        if (t.Equals(Scratch, StringComparison.OrdinalIgnoreCase)) return new BenchmarkMethod(Scratch, Scratch, Scratch);
        if (t.StartsWith("safetensors:", StringComparison.OrdinalIgnoreCase))
        {
            var file = Path.GetFullPath(t["safetensors:".Length..]);
            if (!File.Exists(file)) throw new ArgumentException($"--pretrained '{text}': the weights file '{file}' does not exist.");
            var name = Path.GetFileNameWithoutExtension(file);
            return new BenchmarkMethod("st-" + Safe(name), $"{name} (safetensors)", "safetensors:" + file);
        }
        var dir = Path.GetFullPath(t.StartsWith("run:", StringComparison.OrdinalIgnoreCase) ? t[4..] : t);
        if (!Directory.Exists(dir)) throw new ArgumentException($"--pretrained '{text}': expected a run folder, 'scratch' or 'safetensors:FILE'; '{dir}' does not exist.");
        _ = new InitSource(InitKind.Run, dir).ResolveFile(); // names the folder when it holds no weights
        var run = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        return new BenchmarkMethod(Safe(run), $"{run} ({MethodOf(dir)})", "run:" + dir);
    }

    /// <summary>The pretraining method recorded in a run's config.json ("method", else "runType"), "fdsl" when neither.</summary>
    public static string MethodOf(string runDir)
    {
        var config = Path.Combine(runDir, "config.json");
        if (!File.Exists(config)) return "unknown";
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            foreach (var field in new[] { "method", "runType" })
                if (doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s) return s;
            return "fdsl";
        }
        catch (JsonException) { return "unknown"; }
    }

    /// <summary>A folder-safe key: letters, digits, '.', '_' and '-', at most 64 characters.</summary>
    public static string Safe(string name)
    {
        var s = UnsafeChars().Replace(name, "-").Trim('-', '.');
        if (s.Length > 64) s = s[..64];
        return s.Length == 0 ? "run" : s;
    }

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeChars();
}
