using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Core.Tests.Generators.AvsDb;

public class AvsDbImageTests
{
    [Fact]
    public void Outline_mode_draws_only_0_and_128_inside_the_labelled_shapes()
    {
        var spec = AvsDbTestSpecs.Code48();
        var sample = new AvsDbGenerator(spec, 21).Generate(0);
        var image = sample.Image.As<float>();
        var label = sample.Label.As<byte>();
        long outline = 0, filledInside = 0;
        for (int i = 0; i < image.Length; i++)
        {
            Assert.True(image[i] == 0 || image[i] == 128, $"value {image[i]}");
            if (image[i] == 128) { outline++; Assert.NotEqual(0, label[i]); }
            else if (label[i] != 0) filledInside++;
        }
        Assert.True(outline > 1000 && filledInside > 1000, $"outline {outline}, interior {filledInside}");
    }

    [Fact]
    public void Filled_mode_gives_two_shapes_of_one_class_different_intensities()
    {
        var spec = AvsDbSpec.PaperBest(48) with
        {
            ShapesPerVolume = 20,
            Xy = AvsDbSpec.PaperBest(48).Xy with { VertexCounts = [0, 4] },
            Image = new AvsDbImageSpec { Mode = ImageMode.Filled, FilledIntensity = new DoubleRange(50, 250) },
        };
        var sample = new AvsDbGenerator(spec, 8).Generate(0);
        var (owner, _) = AvsDbTestSpecs.Replay(spec, sample.Manifest);
        var image = sample.Image.As<float>();
        var shapes = sample.Manifest.Shapes;
        // Intensity seen at a voxel equals the intensity of the shape that owns it.
        for (int i = 0; i < image.Length; i++)
            Assert.Equal(owner[i] < 0 ? 0f : (float)shapes[owner[i]].Intensity!.Value, image[i]);
        var sameClass = shapes.Where(s => !s.Dropped).GroupBy(s => s.ClassId).First(g => g.Count() >= 2).ToList();
        var visible = sameClass.Select(s => (float)s.Intensity!.Value).Where(v => image.Contains(v)).Distinct().ToList();
        Assert.True(visible.Count >= 2, "two shapes of one class should show different intensities");
    }

    [Fact]
    public void Noise_and_blur_change_the_image_but_not_the_labels()
    {
        var plain = AvsDbTestSpecs.Code48();
        var noisy = plain with { Image = new AvsDbImageSpec { NoiseSigma = 10, BlurSigma = 1 } };
        var a = new AvsDbGenerator(plain, 4).Generate(2);
        var b = new AvsDbGenerator(noisy, 4).Generate(2);
        Assert.Equal(a.Label.As<byte>(), b.Label.As<byte>());
        var img = b.Image.As<float>();
        Assert.Contains(img, v => v != 0 && v != 128);
        // Noise is added after the blur: noisy − blurred-only is pure noise with the given sigma.
        var blurred = new AvsDbGenerator(plain with { Image = new AvsDbImageSpec { BlurSigma = 1 } }, 4).Generate(2).Image.As<float>();
        Assert.Contains(blurred, v => v > 0 && v < 128);
        var diff = img.Select((v, i) => (double)v - blurred[i]).ToArray();
        double mean = diff.Average(), std = Math.Sqrt(diff.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.2, 0.2);
        Assert.InRange(std, 9.8, 10.2);
    }
}
