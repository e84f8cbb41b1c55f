using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Core.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Generators.VolumeFusion;

/// <summary>The run form's preview: samples 0..N−1 of the run's seed as NIfTI, exactly what the sampler (and so training) draws.</summary>
public class VolfPreviewTests
{
    [Fact]
    public void Preview_files_are_the_samplers_first_samples_and_the_legend_names_each_alpha()
    {
        var options = new VolfOptions { Size = [8, 16, 16], BoxSizeMin = [2, 4, 4], BoxSizeMax = [6, 10, 10] };
        var sources = VolfSourceSet.FromVolumes([("a", VolfSourcesFixture.Ramp(20, 20, 12, 0)), ("b", VolfSourcesFixture.Ramp(20, 20, 12, 1))], options);
        using var dir = new TempDirectory();
        var manifests = VolfPreview.Write(sources, options, seed: 42, count: 3, dir.Path);

        Assert.Equal(3, manifests.Count);
        var sampler = new VolfSampler(sources, options, 42);
        for (int i = 0; i < 3; i++)
        {
            var expected = sampler.Generate(i);
            var image = NiftiReader.Read(Path.Combine(dir.Path, VolfPreview.ImageFile(i)));
            var label = NiftiReader.Read(Path.Combine(dir.Path, VolfPreview.LabelFile(i)));
            Assert.Equal((16, 16, 8), (image.SizeX, image.SizeY, image.SizeZ));
            Assert.Equal(expected.Image, image.As<float>());
            Assert.Equal(expected.Label, label.As<byte>());
            Assert.Equal(expected.Manifest.Boxes.Length, manifests[i].Boxes.Length);
        }
        Assert.Equal(6, Directory.GetFiles(dir.Path).Length);

        var names = VolfPreview.AlphaNames(5);
        Assert.Equal(["0: α = 0 (background only)", "1: α = 0.25", "2: α = 0.5", "3: α = 0.75", "4: α = 1"], names.OrderBy(n => n.Key).Select(n => n.Value));
        Assert.Empty(VolfPreview.AlphaNames(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VolfPreview.Write(sources, options, 1, VolfPreview.MaxSamples + 1, dir.Path));
    }
}
