using System.Text.Json;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Generators.VolumeFusion;

public class VolfDatasetWriterTests
{
    private static readonly VolfOptions Small = new() { Size = [12, 20, 24], BoxSizeMax = [10, 16, 16] };

    [Fact]
    public void Written_files_satisfy_the_fusion_identity_on_every_voxel_and_the_manifest_names_the_sources()
    {
        using var dir = new TempDirectory();
        var sources = VolfSourceSet.FromFolder(VolfSourcesFixture.WriteFolder(dir.File("src"), 3), Small);
        VolfDatasetWriter.Write(sources, Small, seed: 4, count: 3, dir.File("out"), keepSources: true);
        for (int i = 0; i < 3; i++)
        {
            var image = NiftiReader.Read(dir.File("out/" + VolfDatasetLayout.Image(i)));
            var label = NiftiReader.Read(dir.File("out/" + VolfDatasetLayout.Label(i)));
            var bg = NiftiReader.Read(dir.File("out/" + VolfDatasetLayout.BackgroundSource(i))).As<float>();
            var fg = NiftiReader.Read(dir.File("out/" + VolfDatasetLayout.ForegroundSource(i))).As<float>();
            Assert.Equal(VoxelType.Float32, image.Type);
            Assert.Equal(VoxelType.UInt8, label.Type);
            Assert.Equal((24, 20, 12), (image.SizeX, image.SizeY, image.SizeZ));
            var fused = image.As<float>();
            var l = label.As<byte>();
            for (int v = 0; v < fused.Length; v++)
            {
                double alpha = l[v] / 4.0;
                Assert.True(Math.Abs(alpha * fg[v] + (1 - alpha) * bg[v] - fused[v]) <= 1e-6, $"sample {i} voxel {v}");
            }
        }
        var lines = File.ReadAllLines(dir.File("out/manifest.jsonl"));
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var m = first.RootElement;
        Assert.Equal("volf_0000", m.GetProperty("case").GetString());
        Assert.StartsWith("case_", m.GetProperty("background").GetProperty("case").GetString());
        Assert.Equal(3, m.GetProperty("foreground").GetProperty("origin").GetArrayLength());
        var box = m.GetProperty("boxes")[0];
        Assert.Equal(3, box.GetProperty("size").GetArrayLength());
        Assert.Equal(3, box.GetProperty("centre").GetArrayLength());
        Assert.InRange(box.GetProperty("label").GetInt32(), 1, 4);

        using var ds = JsonDocument.Parse(File.ReadAllText(dir.File("out/dataset.json")));
        Assert.Equal(3, ds.RootElement.GetProperty("numTraining").GetInt32());
        Assert.Equal("alpha 0.5", ds.RootElement.GetProperty("labels").GetProperty("2").GetString());
        Assert.Equal(Small.Size, VolfOptions.FromJson(File.ReadAllText(dir.File("out/volf.json"))).Size);
    }

    [Fact]
    public void Same_seed_gives_byte_identical_files_for_any_thread_count()
    {
        using var dir = new TempDirectory();
        var folder = VolfSourcesFixture.WriteFolder(dir.File("src"), 3);
        foreach (var variant in new[] { VolfVariant.Paper, VolfVariant.Pymic2024 })
        {
            var options = Small with { Variant = variant };
            VolfDatasetWriter.Write(VolfSourceSet.FromFolder(folder, options), options, 8, 4, dir.File($"a{variant}"), keepSources: true, maxDegreeOfParallelism: 1);
            VolfDatasetWriter.Write(VolfSourceSet.FromFolder(folder, options, cacheSize: 1), options, 8, 4, dir.File($"b{variant}"), keepSources: true, maxDegreeOfParallelism: 2);
            VolfDatasetWriter.Write(VolfSourceSet.FromFolder(folder, options), options, 9, 4, dir.File($"c{variant}"), maxDegreeOfParallelism: 2);
            var files = Directory.GetFiles(dir.File($"a{variant}"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(dir.File($"a{variant}"), f)).Order().ToArray();
            Assert.Equal(4 * 4 + 3, files.Length);
            foreach (var f in files)
                Assert.True(File.ReadAllBytes(Path.Combine(dir.File($"a{variant}"), f)).AsSpan()
                    .SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File($"b{variant}"), f))), $"{variant} {f} differs");
            Assert.False(File.ReadAllBytes(dir.File($"a{variant}/" + VolfDatasetLayout.Image(0))).AsSpan()
                .SequenceEqual(File.ReadAllBytes(dir.File($"c{variant}/" + VolfDatasetLayout.Image(0)))), "another seed must differ");
        }
    }

    [Fact]
    public void An_unreadable_source_is_named_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var folder = VolfSourcesFixture.WriteFolder(dir.File("src"), 2);
        File.WriteAllText(Path.Combine(folder, "broken.nii.gz"), "not a volume");
        var sources = VolfSourceSet.FromFolder(folder, Small);
        var e = Assert.Throws<VolfSourceException>(() => VolfDatasetWriter.Write(sources, Small, 1, 2, dir.File("out")));
        Assert.Contains("broken.nii.gz", e.Message);
        Assert.Contains("unreadable", e.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void An_msd_folder_contributes_its_training_and_test_images_but_never_its_labels()
    {
        using var dir = new TempDirectory();
        VolfSourcesFixture.WriteFolder(dir.File("msd/imagesTr"), 2);
        VolfSourcesFixture.WriteFolder(dir.File("msd/imagesTs"), 1);
        VolfSourcesFixture.WriteFolder(dir.File("msd/labelsTr"), 2);
        var sources = VolfSourceSet.FromFolder(dir.File("msd"), Small);
        Assert.Equal(["imagesTr/case_00.nii.gz", "imagesTr/case_01.nii.gz", "imagesTs/case_00.nii.gz"], sources.Cases);

        Directory.CreateDirectory(dir.File("empty"));
        var e = Assert.Throws<VolfSourceException>(() => VolfSourceSet.FromFolder(dir.File("empty"), Small));
        Assert.Contains("no NIfTI images", e.Message);
        Assert.Throws<VolfSourceException>(() => VolfSourceSet.FromFolder(dir.File("missing"), Small));
    }
}
