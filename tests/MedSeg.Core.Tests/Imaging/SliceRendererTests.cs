using MedSeg.Core.Imaging;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Imaging;

public class SliceRendererTests
{
    /// <summary>Value at (x, y, z) = 100x + 10y + z, so every slice position is recognisable.</summary>
    private static Volume Coded(int sx, int sy, int sz)
    {
        var v = Volume.Create<float>(sx, sy, sz);
        var data = v.As<float>();
        for (int z = 0; z < sz; z++)
            for (int y = 0; y < sy; y++)
                for (int x = 0; x < sx; x++)
                    data[v.Index(x, y, z)] = 100 * x + 10 * y + z;
        return v;
    }

    [Theory]
    [InlineData(SliceAxis.Z, 2, 4, 3, 1, 2)]  // columns x, rows y
    [InlineData(SliceAxis.Y, 1, 4, 5, 3, 3)]  // columns x, rows z
    [InlineData(SliceAxis.X, 3, 3, 5, 2, 4)]  // columns y, rows z
    public void Extract_FollowsDocumentedLayout(SliceAxis axis, int index, int width, int height, int column, int row)
    {
        var volume = Coded(4, 3, 5);
        var slice = VolumeSlice.Extract(volume, axis, index);

        Assert.Equal((width, height), (slice.Width, slice.Height));
        double expected = axis switch
        {
            SliceAxis.Z => 100 * column + 10 * row + index,
            SliceAxis.Y => 100 * column + 10 * index + row,
            _ => 100 * index + 10 * column + row,
        };
        Assert.Equal(expected, slice.Values[column + width * row]);
    }

    [Fact]
    public void Extract_IndexOutOfRange_NamesValueAndRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => VolumeSlice.Extract(Coded(4, 3, 5), SliceAxis.Z, 5));
        Assert.StartsWith("index 5 is out of range for axis z (valid 0–4)", e.Message);
    }

    [Fact]
    public void Percentiles_InterpolateLikeNumpy()
    {
        double[] sorted = Enumerable.Range(0, 11).Select(i => (double)i).ToArray(); // 0..10
        Assert.Equal(0.05, DisplayWindow.Percentile(sorted, 0.5), 12);
        Assert.Equal(9.95, DisplayWindow.Percentile(sorted, 99.5), 12);
        var window = DisplayWindow.FromPercentiles(sorted.Append(double.NaN));
        Assert.Equal(0.05, window.Low, 12);
        Assert.Equal(9.95, window.High, 12);
    }

    [Fact]
    public void Render_WithWindow_MapsGreyAndBlendsLabelColour()
    {
        var image = Volume.Create<short>(4, 2, 1);
        var data = image.As<short>();
        data[0] = 0; data[1] = 50; data[2] = 100; data[3] = 200; // row 0
        var labels = Volume.Create<byte>(4, 2, 1);
        labels.As<byte>()[image.Index(1, 1, 0)] = 3;
        labels.As<byte>()[image.Index(2, 1, 0)] = 17;

        var picture = SliceRenderer.Render(image, SliceAxis.Z, 0, labels, new DisplayWindow(100, 50));

        Assert.Equal(((byte)0, (byte)0, (byte)0, (byte)255), picture[0, 0]);
        Assert.Equal(((byte)128, (byte)128, (byte)128, (byte)255), picture[1, 0]);
        Assert.Equal(((byte)255, (byte)255, (byte)255, (byte)255), picture[2, 0]);
        Assert.Equal(((byte)255, (byte)255, (byte)255, (byte)255), picture[3, 0]); // clamped
        var yellow = LabelPalette.ColorOf(3);
        Assert.Equal((SliceRenderer.Blend(0, yellow.R), SliceRenderer.Blend(0, yellow.G), SliceRenderer.Blend(0, yellow.B), (byte)255), picture[1, 1]);
        Assert.NotEqual(picture[1, 1], picture[2, 1]);
        Assert.Equal(((byte)0, (byte)0, (byte)0, (byte)255), picture[0, 1]); // label 0: untouched
    }

    [Fact]
    public void Palette_HasAtLeast16DistinguishableColours()
    {
        var colours = LabelPalette.Colors;
        Assert.True(colours.Count >= 16);
        for (int i = 0; i < colours.Count; i++)
            for (int j = i + 1; j < colours.Count; j++)
            {
                var (a, b) = (colours[i], colours[j]);
                double distance = Math.Sqrt(Math.Pow(a.R - b.R, 2) + Math.Pow(a.G - b.G, 2) + Math.Pow(a.B - b.B, 2));
                Assert.True(distance >= 80, $"labels {i + 1} and {j + 1} look alike: {a} vs {b}");
            }
        Assert.Equal(LabelPalette.ColorOf(1), LabelPalette.ColorOf(1 + colours.Count)); // wraps
    }

    [Fact]
    public void Render_LabelShapeMismatch_NamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SliceRenderer.Render(Coded(4, 3, 5), SliceAxis.Z, 0, Volume.Create<byte>(4, 3, 4)));
        Assert.Equal("label map is 4×3×4 but the image is 4×3×5", e.Message);
    }
}
