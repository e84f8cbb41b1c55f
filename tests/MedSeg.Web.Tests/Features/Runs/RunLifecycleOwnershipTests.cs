using System.Text.RegularExpressions;
using MedSeg.Testing;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// <c>RunLifecycle</c> is the only writer of a run's status and the only maker of <c>RunEvent</c>s: a search of every
/// source file under src/ finds those writes in Features/Runs/RunLifecycle.cs and nowhere else.
/// </summary>
public sealed class RunLifecycleOwnershipTests
{
    private static readonly string Owner = Path.Combine("src", "MedSeg.Web", "Features", "Runs", "RunLifecycle.cs");

    /// <summary>What writes a run's status or makes an event, by its text, with an example line each pattern must catch.</summary>
    private static readonly (string What, Regex Pattern, string Example)[] Writes =
    [
        ("a RunEvent made", new Regex(@"\bnew\s+RunEvent\b|\bRunEvent\s+\w+\s*=\s*new\s*\("), "db.RunEvents.AddRange(new RunEvent { RunId = 1 });"),
        ("an event added", new Regex(@"\bRunEvents\.Add\("), "db.RunEvents.Add(e);"),
        ("a status set to a TrainingRunStatus", new Regex(@"\bStatus\s*=\s*TrainingRunStatus\."), "var run = new TrainingRun { Status = TrainingRunStatus.Queued };"),
        ("a status set in a bulk update", new Regex(@"SetProperty\(\s*\w+\s*=>\s*\w+\.Status\b"), ".ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to))"),
        ("a run row's status assigned", new Regex(@"\b(run|row|original|training|trainingRun)\.Status\s*=(?!=)"), "run.Status = TrainingRunStatus.Completed;"),
    ];

    private static IEnumerable<(string File, int Line, string Text)> SourceLines()
    {
        var src = Path.Combine(RepositoryRoot.Path, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("obj") || parts.Contains("bin") || parts.Contains("Migrations")) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                if (!lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) yield return (relative, i + 1, lines[i]);
        }
    }

    [Fact]
    public void Only_RunLifecycle_Writes_A_Run_Status_Or_Makes_A_RunEvent()
    {
        var found = SourceLines()
            .SelectMany(l => Writes.Where(w => w.Pattern.IsMatch(l.Text)).Select(w => (l.File, l.Line, l.Text, w.What)))
            .ToList();
        var elsewhere = found.Where(f => f.File != Owner && !IsDatasetStatus(f.File, f.Text)).ToList();
        Assert.True(elsewhere.Count == 0,
            "Only RunLifecycle may write TrainingRun.Status or make RunEvents; found:\n" +
            string.Join("\n", elsewhere.Select(f => $"{f.File}:{f.Line}: {f.What}: {f.Text.Trim()}")));
        // The search is alive: each pattern catches its example, and the lifecycle's own writes are found.
        Assert.All(Writes, w => Assert.Matches(w.Pattern, w.Example));
        Assert.Contains(found, f => f.File == Owner && f.What == "a run row's status assigned");
        Assert.Contains(found, f => f.File == Owner && f.What == "a status set in a bulk update");
    }

    /// <summary>Datasets have their own status (<c>DatasetStatus</c>), written by the dataset feature.</summary>
    private static bool IsDatasetStatus(string file, string line) =>
        line.Contains("DatasetStatus.", StringComparison.Ordinal)
        || file.StartsWith(Path.Combine("src", "MedSeg.Web", "Features", "Datasets") + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
