using System.Text.Json.Nodes;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Generators.Phantom;

public class PhantomDatasetWriterTests
{
    private static readonly AbdomenPhantomSpec Tiny = AbdomenPhantomSpec.Default with { Size = [40, 36, 12], Spacing = [0.8, 0.8, 2.5] };

    [Fact]
    public void Write_MsdLayout_SyntheticEverywhere_SpacingInHeader()
    {
        using var dir = new TempDirectory();

        var result = PhantomDatasetWriter.Write(Tiny, 3, 2, dir.Path, testCount: 1);

        Assert.Equal(2, result.TrainCount);
        foreach (var f in new[] { "imagesTr/phantom_000_0000.nii.gz", "imagesTr/phantom_001_0000.nii.gz", "labelsTr/phantom_000.nii.gz",
                                  "labelsTr/phantom_001.nii.gz", "imagesTs/phantom_002_0000.nii.gz", "dataset.json", "spec.json", "manifest.jsonl" })
            Assert.True(File.Exists(Path.Combine(dir.Path, f)), f);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp-*", SearchOption.AllDirectories));

        var json = JsonNode.Parse(File.ReadAllText(dir.File("dataset.json")))!;
        Assert.Contains("SYNTHETIC", (string)json["name"]!);
        Assert.StartsWith("SYNTHETIC", (string)json["description"]!);
        Assert.Equal("liver", (string)json["labels"]!["1"]!);
        Assert.Equal("aorta", (string)json["labels"]!["5"]!);
        Assert.Equal(2, (int)json["numTraining"]!);
        Assert.Equal("./imagesTr/phantom_001_0000.nii.gz", (string)json["training"]![1]!["image"]!);
        Assert.Equal("./imagesTs/phantom_002_0000.nii.gz", (string)json["test"]![0]!);

        var header = NiftiReader.ReadHeader(dir.File("imagesTr/phantom_000_0000.nii.gz"));
        Assert.Contains("SYNTHETIC", header.Descrip);
        Assert.Equal([0.8, 0.8, 2.5], header.GetSpacing().Select(v => Math.Round(v, 5)).ToArray());
        Assert.Equal(-0.8, header.GetAffine()[0], 5);
        var label = NiftiReader.Read(dir.File("labelsTr/phantom_000.nii.gz"));
        Assert.Equal((40, 36, 12), (label.SizeX, label.SizeY, label.SizeZ));
        Assert.Contains((byte)1, label.As<byte>());

        var manifest = File.ReadAllLines(dir.File("manifest.jsonl"));
        Assert.Equal(3, manifest.Length);
        Assert.Contains("SYNTHETIC", manifest[0]);
    }

    [Fact]
    public void Write_SameSeed_ByteIdenticalFiles_AnyThreadCount()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        PhantomDatasetWriter.Write(Tiny, 17, 3, a.Path, maxDegreeOfParallelism: 1);
        PhantomDatasetWriter.Write(Tiny, 17, 3, b.Path, maxDegreeOfParallelism: 3);
        foreach (var file in Directory.EnumerateFiles(a.Path, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(a.Path, file);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b.Path, rel))), rel);
        }
    }
}

public class PhantomDatasetWriterFailureTests
{
    [Fact]
    public void Write_OneCaseUnwritable_ThrowsThatIoError_NotAggregate_NoTemporariesOrDatasetJsonLeft()
    {
        using var dir = new TempDirectory();
        // A folder squatting on case 1's label path makes that one write fail inside the parallel loop.
        Directory.CreateDirectory(Path.Combine(dir.Path, "labelsTr", "phantom_001.nii.gz"));

        var e = Assert.ThrowsAny<IOException>(() =>
            PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = [16, 16, 8] }, 1, 2, dir.Path));

        Assert.Contains("phantom_001.nii.gz", e.Message);
        Assert.False(File.Exists(dir.File("dataset.json")));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp-*", SearchOption.AllDirectories));
    }
}
