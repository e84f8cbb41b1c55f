using MedSeg.Training.FineTune;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Tests.Features.Benchmarks;

/// <summary>
/// The score cache reads each evaluation.json once, keeps it across a restart in its file (NaN and ∞ included), refuses a
/// torn block (a crash mid-append) and does not confuse a run row from another database (other finish time).
/// </summary>
public sealed class BenchmarkScoreCacheTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-score-cache-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    private BenchmarkScoreCache NewCache() => new(new DataPaths(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataRoot = root }),
        new TestEnvironment(root)));

    [Fact]
    public void Scores_survive_a_restart_and_a_torn_block_is_read_again()
    {
        var run = Path.Combine(root, "runs", "7");
        Directory.CreateDirectory(run);
        var cases = new[]
        {
            new CaseEvaluation("case_a", "p", [new ClassScore(1, "liver", 0.5, 1.5, 3), new ClassScore(2, "spleen", double.NaN, double.NaN, double.NaN)], 0.5, 1.5, 3),
            new CaseEvaluation("case=b", "p", [new ClassScore(1, "liver", 0.25, double.PositiveInfinity, 9), new ClassScore(2, "spleen", 0, double.PositiveInfinity, 9)], 0.125, double.PositiveInfinity, 9),
        };
        var evaluation = new FineTuneEvaluation("test", "scratch", false, "BasicUNet", "m", 2, cases,
            [new ClassScore(1, "liver", 0.375, double.PositiveInfinity, 6), new ClassScore(2, "spleen", 0, double.PositiveInfinity, 9)], 0.3125, double.PositiveInfinity, 6);
        File.WriteAllText(Path.Combine(run, FineTuneEvaluation.FileName), evaluation.ToJson());
        var finished = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var first = NewCache().Get([(7, finished, run)])[7];
        Assert.Equal(0.3125, first.Single(s => s.Metric == "dice").Value);
        Assert.Equal(0.125, first.Single(s => s.Metric == "dice").Cases!["case=b"]);
        File.Delete(Path.Combine(run, FineTuneEvaluation.FileName)); // from now on only the cache file knows

        var restarted = NewCache().Get([(7, finished, run)])[7];
        Assert.Equal(first.Select(s => (s.Metric, s.Value)), restarted.Select(s => (s.Metric, s.Value)));
        Assert.True(double.IsPositiveInfinity(restarted.Single(s => s.Metric == "assd").Value));
        Assert.Equal(first.Single(s => s.Metric == "dice").Cases, restarted.Single(s => s.Metric == "dice").Cases);
        Assert.Empty(NewCache().Get([(7, finished.AddSeconds(1), run)])); // same id, another run: not served from the cache

        // A torn append (no end line) is ignored, and the complete block before it still counts.
        var file = NewCache().FilePath;
        File.AppendAllText(file, "8\t0\tdice\t0.9\tcase_a=0.9\n");
        var cache = NewCache();
        Assert.Single(cache.Get([(7, finished, run), (8, null, Path.Combine(root, "runs", "8"))]));
        Assert.Empty(BenchmarkScoreCache.Parse(["9\t0\tdice\tnot-a-number", "9\t0\t."]));
    }

    private sealed class TestEnvironment(string root) : Microsoft.AspNetCore.Hosting.IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider WebRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
        public string ApplicationName { get; set; } = "test";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = "Test";
    }
}
