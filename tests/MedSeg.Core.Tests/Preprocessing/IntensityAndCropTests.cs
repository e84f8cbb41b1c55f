using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Preprocessing;

public class IntensityAndCropTests
{
    [Fact]
    public void ScaleRange_AbdominalWindow_MapsLinearlyAndClips()
    {
        var v = new Volume(5, 1, 1, new short[] { -1000, -175, 0, 250, 1000 });
        var s = IntensityScaler.ScaleRange(v).As<float>();
        Assert.Equal([0f, 0f, 175f / 425f, 1f, 1f], s);

        var unclipped = IntensityScaler.ScaleRange(v, clip: false).As<float>();
        Assert.Equal((-1000 + 175) / 425.0, unclipped[0], 5);
        Assert.Equal((1000 + 175) / 425.0, unclipped[4], 5);
    }

    [Fact]
    public void ScaleRange_EmptyInputRange_SubtractsAMin_AsMonai()
    {
        var v = new Volume(2, 1, 1, new float[] { 3, 5 });
        Assert.Equal([1f, 3f], IntensityScaler.ScaleRange(v, 2, 2).As<float>());
    }

    [Fact]
    public void CropForeground_BoxWithMarginClippedToVolume_AndWorldPositionsKept()
    {
        var image = Volume.Create<float>(20, 16, 10, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        var label = GeometryAssert.IndexVolume(20, 16, 10, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        var d = image.As<float>();
        d[image.Index(5, 7, 1)] = 0.5f;
        d[image.Index(12, 9, 4)] = 0.2f;
        d[image.Index(2, 2, 2)] = -1f; // not foreground: only > threshold counts

        var crop = ForegroundCropper.Crop(image, label, threshold: 0, margin: 2);

        Assert.Equal([3, 5, 0], crop.Box.Start); // z clipped at 0
        Assert.Equal([15, 12, 7], crop.Box.End);
        Assert.Equal((12, 7, 7), (crop.Image.SizeX, crop.Image.SizeY, crop.Image.SizeZ));
        Assert.Equal(0.5f, crop.Image.As<float>()[crop.Image.Index(2, 2, 1)]);
        GeometryAssert.WorldPreserved(label, crop.Label!);
    }

    [Fact]
    public void CropForeground_NoForeground_ReturnsWholeVolume()
    {
        var image = Volume.Create<float>(4, 4, 4);
        var crop = ForegroundCropper.Crop(image);
        Assert.Same(image, crop.Image);
        Assert.Equal([4, 4, 4], crop.Box.End);
    }

    [Fact]
    public void CropForeground_LabelShapeMismatch_ThrowsWithBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => ForegroundCropper.Crop(Volume.Create<float>(4, 4, 4), Volume.Create<byte>(4, 4, 3)));
        Assert.Contains("4×4×3", e.Message);
        Assert.Contains("4×4×4", e.Message);
    }

    [Fact]
    public void PadTo_SymmetricAsMonaiSpatialPad_KeepsWorldPositions()
    {
        var v = GeometryAssert.IndexVolume(5, 8, 3, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        var data = v.As<int>();
        for (int i = 0; i < data.Length; i++) data[i] += 1; // keep 0 for padding

        var padded = VolumeOps.PadTo(v, [8, 6, 6], value: 0);

        Assert.Equal((8, 8, 6), (padded.SizeX, padded.SizeY, padded.SizeZ));
        // Before = floor(extra / 2): 1 in x, 0 in y, 1 in z.
        Assert.Equal(0, padded.As<int>()[padded.Index(0, 0, 0)]);
        Assert.Equal(data[v.Index(0, 0, 0)], padded.As<int>()[padded.Index(1, 0, 1)]);
        Assert.Equal(data[v.Index(4, 7, 2)], padded.As<int>()[padded.Index(5, 7, 3)]);
        var before = GeometryAssert.World(v, 2, 3, 1);
        var after = GeometryAssert.World(padded, 3, 3, 2);
        for (int a = 0; a < 3; a++) Assert.Equal(before[a], after[a], 1e-9);
        Assert.Same(v, VolumeOps.PadTo(v, [2, 2, 2]));
    }
}
