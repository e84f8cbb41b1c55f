using System.Text.Json.Nodes;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Generators.AvsDb;

public class AvsDbDatasetWriterTests
{
    private static readonly AvsDbSpec Spec32 = AvsDbSpec.PaperBest(32);

    private static AvsDbWriteResult Write(string dir, int count, int threads, IProgress<GenerationProgress>? progress = null, CancellationToken ct = default) =>
        AvsDbDatasetWriter.Write(Spec32, 17, count, dir, progress, ct, new AvsDbWriteOptions { MaxDegreeOfParallelism = threads });

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    [Fact]
    public void Writes_an_msd_folder_whose_volumes_match_the_in_memory_generator()
    {
        using var tmp = new TempDirectory();
        var result = Write(tmp.Path, 3, 2);
        Assert.Equal(3, result.Written);
        Assert.True(File.Exists(tmp.File("spec.json")));
        Assert.Equal(Spec32.ToJson(), AvsDbSpec.Load(tmp.File("spec.json")).ToJson());

        var json = JsonNode.Parse(File.ReadAllText(tmp.File("dataset.json")))!;
        Assert.Equal(3, json["numTraining"]!.GetValue<int>());
        Assert.Equal("3D", json["tensorImageSize"]!.GetValue<string>());
        Assert.Equal("background", json["labels"]!["0"]!.GetValue<string>());
        Assert.Equal("ellipse-concave-inside", json["labels"]!["2"]!.GetValue<string>());
        Assert.Equal(17, json["labels"]!.AsObject().Count);
        Assert.Equal("./imagesTr/avs_0001_0000.nii.gz", json["training"]![1]!["image"]!.GetValue<string>());
        Assert.Equal("./labelsTr/avs_0001.nii.gz", json["training"]![1]!["label"]!.GetValue<string>());

        var generator = new AvsDbGenerator(Spec32, 17);
        var manifest = AvsDbDatasetWriter.ReadManifest(tmp.File("manifest.jsonl"));
        Assert.Equal([0, 1, 2], manifest.Select(m => m.Index));
        for (int i = 0; i < 3; i++)
        {
            var expected = generator.Generate(i);
            var image = NiftiReader.Read(tmp.File($"imagesTr/avs_{i:D4}_0000.nii.gz"));
            var label = NiftiReader.Read(tmp.File($"labelsTr/avs_{i:D4}.nii.gz"));
            Assert.Equal(expected.Image.As<float>(), image.As<float>());
            Assert.Equal(expected.Label.As<byte>(), label.As<byte>());
            Assert.Equal(expected.Manifest.Shapes.Select(s => s.Position), manifest[i].Shapes.Select(s => s.Position));
            Assert.Equal(expected.Manifest.Shapes.Select(s => s.Geometry.Radii), manifest[i].Shapes.Select(s => s.Geometry.Radii));
        }
    }

    [Fact]
    public void Partial_manifest_lists_finished_volumes_while_writing_and_is_gone_at_the_end()
    {
        using var tmp = new TempDirectory();
        var layout = new AvsDbLayout(tmp.Path);
        var seen = new List<(int Done, HashSet<int> Listed, bool Complete)>();
        // Synchronous progress on the writing thread (one thread): what a reader sees right after each volume.
        Write(tmp.Path, 5, 1, new SyncProgress<GenerationProgress>(p =>
        {
            var listed = PartialManifest.Read(layout.PartialManifest);
            seen.Add((p.Done, [.. listed.Keys], listed.Keys.All(layout.IsComplete)));
        }));
        Assert.Equal([1, 2, 3, 4, 5], seen.Select(s => s.Listed.Count));
        Assert.All(seen, s => Assert.True(s.Complete, "a listed volume must be complete on disk"));
        Assert.False(File.Exists(layout.PartialManifest));
        var final = AvsDbDatasetWriter.ReadManifest(layout.Manifest);
        Assert.Equal(5, final.Count);
    }

    [Fact]
    public void Partial_manifest_of_an_interrupted_run_survives_and_a_torn_line_is_skipped()
    {
        using var tmp = new TempDirectory();
        var layout = new AvsDbLayout(tmp.Path);
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Write(tmp.Path, 8, 1, new SyncProgress<GenerationProgress>(p => { if (p.Done == 3) cts.Cancel(); }), cts.Token));
        File.AppendAllText(layout.PartialManifest, "{\"Index\":7,\"Sha"); // a crash mid-line
        var listed = PartialManifest.Read(layout.PartialManifest);
        Assert.Equal([0, 1, 2], listed.Keys.Order());
        var generator = new AvsDbGenerator(Spec32, 17);
        Assert.Equal(generator.Generate(1).Manifest.Shapes.Select(s => s.VoxelCount), listed[1].Shapes.Select(s => s.VoxelCount));

        Write(tmp.Path, 8, 2); // resumed: the torn line does not spoil the next ones, and at the end only manifest.jsonl is left
        Assert.False(File.Exists(layout.PartialManifest));
        Assert.Equal(Enumerable.Range(0, 8), AvsDbDatasetWriter.ReadManifest(layout.Manifest).Select(m => m.Index));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    [Fact]
    public void Files_are_byte_identical_with_one_or_four_threads()
    {
        using var one = new TempDirectory();
        using var four = new TempDirectory();
        Write(one.Path, 6, 1);
        Write(four.Path, 6, 4);
        var a = Snapshot(one.Path);
        var b = Snapshot(four.Path);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Equal(6 * 2 + 4, a.Count);
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs");
    }

    [Fact]
    public void Rerun_resumes_skipping_complete_volumes_and_rebuilds_the_same_manifest()
    {
        using var fresh = new TempDirectory();
        Write(fresh.Path, 5, 2);
        using var tmp = new TempDirectory();
        Write(tmp.Path, 3, 2);
        var kept = tmp.File("imagesTr/avs_0000_0000.nii.gz");
        var keptTime = File.GetLastWriteTimeUtc(kept);
        File.Delete(tmp.File("labelsTr/avs_0001.nii.gz"));            // volume 1 incomplete: image only
        File.WriteAllText(tmp.File("labelsTr/avs_0002.nii.gz.tmp-deadbeef"), "half"); // debris of a killed run
        Thread.Sleep(20);

        var result = Write(tmp.Path, 5, 2);
        Assert.Equal(2, result.Skipped);  // volumes 0 and 2
        Assert.Equal(3, result.Written);  // 1, 3, 4
        Assert.Equal(keptTime, File.GetLastWriteTimeUtc(kept));
        Assert.False(File.Exists(tmp.File("labelsTr/avs_0002.nii.gz.tmp-deadbeef")));
        var a = Snapshot(fresh.Path);
        var b = Snapshot(tmp.Path);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs");
    }

    [Fact]
    public void Cancelled_run_leaves_no_partial_files_and_can_be_resumed()
    {
        using var tmp = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Done >= 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Write(tmp.Path, 12, 2, progress, cts.Token));
        var files = Directory.EnumerateFiles(tmp.Path, "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(files, f => f.Contains(".tmp-"));
        Assert.False(File.Exists(tmp.File("dataset.json")));
        var labels = Directory.GetFiles(tmp.File("labelsTr"));
        Assert.InRange(labels.Length, 2, 11);
        foreach (var f in files.Where(f => f.EndsWith(".nii.gz"))) NiftiReader.Read(f); // every file complete

        var result = Write(tmp.Path, 12, 2);
        Assert.Equal(12, result.Written + result.Skipped);
        Assert.True(result.Skipped >= 2);
        Assert.Equal(12, JsonNode.Parse(File.ReadAllText(tmp.File("dataset.json")))!["numTraining"]!.GetValue<int>());
    }

    [Fact]
    public void A_folder_made_with_another_spec_or_seed_is_refused()
    {
        using var tmp = new TempDirectory();
        Write(tmp.Path, 1, 1);
        var ex = Assert.Throws<InvalidOperationException>(() =>
            AvsDbDatasetWriter.Write(Spec32 with { OverlapLimit = 0.5 }, 17, 1, tmp.Path));
        Assert.Contains("spec.json", ex.Message);
        ex = Assert.Throws<InvalidOperationException>(() => AvsDbDatasetWriter.Write(Spec32, 18, 1, tmp.Path));
        Assert.Contains("seed 17", ex.Message);
    }

    [Fact]
    public void A_write_failure_surfaces_as_the_original_exception_and_lists_nothing_new()
    {
        using var tmp = new TempDirectory();
        Directory.CreateDirectory(tmp.File("labelsTr/avs_0001.nii.gz")); // a folder where a label file must go
        var ex = Assert.ThrowsAny<Exception>(() => Write(tmp.Path, 3, 2));
        Assert.IsNotType<AggregateException>(ex);
        Assert.True(ex is IOException or UnauthorizedAccessException, ex.GetType().Name);
        Assert.False(File.Exists(tmp.File("dataset.json")));
        Assert.DoesNotContain(Directory.EnumerateFiles(tmp.Path, "*", SearchOption.AllDirectories), f => f.Contains(".tmp-"));
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post asynchronously).</summary>
    private sealed class SyncProgress(Action<GenerationProgress> onReport) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => onReport(value);
    }
}
