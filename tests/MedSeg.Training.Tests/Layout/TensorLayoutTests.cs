using MedSeg.Core.Volumes;
using MedSeg.Training.Layout;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Layout;

public class TensorLayoutTests
{
    /// <summary>A non-cubic volume whose value names its voxel: x + 10 y + 100 z.</summary>
    private static Volume Indexed(int sx = 4, int sy = 5, int sz = 6)
    {
        var data = new float[sx * sy * sz];
        for (int z = 0; z < sz; z++)
            for (int y = 0; y < sy; y++)
                for (int x = 0; x < sx; x++) data[x + sx * (y + sy * z)] = x + 10 * y + 100 * z;
        return new Volume(sx, sy, sz, data);
    }

    [Theory]
    [InlineData(AxisOrder.Zyx)]
    [InlineData(AxisOrder.MonaiXyz)]
    public void Buffer_Order_Round_Trips(AxisOrder order)
    {
        using var zyx = arange(2 * 3 * 4 * 5 * 6, ScalarType.Float32).reshape(2, 3, 4, 5, 6);
        using var t = TensorLayout.FromBufferOrder(zyx, order);
        Assert.Equal(order == AxisOrder.MonaiXyz ? new long[] { 2, 3, 6, 5, 4 } : [2, 3, 4, 5, 6], t.shape);
        Assert.True(t.is_contiguous());
        using var back = TensorLayout.ToBufferOrder(t, order);
        Assert.True(TensorAssert.Same(zyx, back));
    }

    [Theory]
    [InlineData(AxisOrder.Zyx)]
    [InlineData(AxisOrder.MonaiXyz)]
    public void Volume_To_Tensor_And_Labels_Back_Round_Trip(AxisOrder order)
    {
        var image = Indexed();
        using var t = TensorLayout.ImageTensor(image, order);
        Assert.Equal(new long[] { 1, 1 }.Concat(TensorLayout.SpatialShape(image, order)), t.shape);
        // Labels: the indexed values fit a byte when taken modulo 256.
        var labels = new Volume(image.SizeX, image.SizeY, image.SizeZ, image.As<float>().Select(v => (byte)((int)v % 256)).ToArray(),
            [0.5, 0.7, 2.0], Enumerable.Range(0, 16).Select(i => (double)i).ToArray());
        using var lt = TensorLayout.LabelTensor(labels, order);
        var back = TensorLayout.LabelVolume(lt, labels, order);
        Assert.Equal(labels.As<byte>().ToArray(), back.As<byte>().ToArray());
        Assert.Equal(labels.Spacing, back.Spacing);
        Assert.Equal(labels.Affine, back.Affine);
    }

    [Fact]
    public void MonaiXyz_Tensor_Is_Indexed_By_X_Y_Z()
    {
        var v = Indexed();
        using var monai = TensorLayout.ImageTensor(v, AxisOrder.MonaiXyz);
        using var ours = TensorLayout.ImageTensor(v, AxisOrder.Zyx);
        Assert.Equal(new long[] { 1, 1, 4, 5, 6 }, monai.shape);
        var m = monai.data<float>().ToArray();
        var o = ours.data<float>().ToArray();
        for (int x = 0; x < 4; x++)
            for (int y = 0; y < 5; y++)
                for (int z = 0; z < 6; z++)
                {
                    float expected = (float)v.GetDouble(v.Index(x, y, z));
                    Assert.Equal(expected, m[(x * 5 + y) * 6 + z]);   // tensor[0, 0, x, y, z]
                    Assert.Equal(expected, o[(z * 5 + y) * 4 + x]);   // tensor[0, 0, z, y, x]
                }
    }

    [Fact]
    public void Label_Volume_Rejects_A_Tensor_In_The_Other_Order()
    {
        var v = Indexed();
        using var zyx = zeros(6, 5, 4, ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => TensorLayout.LabelVolume(zyx, v, AxisOrder.MonaiXyz));
        Assert.Contains("MonaiXyz", e.Message);
        Assert.Contains("[4, 5, 6]", e.Message);
    }

    [Fact]
    public void Window_Sizes_Listed_Zyx_Are_Reordered()
    {
        Assert.Equal([2, 3, 4], TensorLayout.SpatialFromZyx([2, 3, 4], AxisOrder.Zyx));
        Assert.Equal([4, 3, 2], TensorLayout.SpatialFromZyx([2, 3, 4], AxisOrder.MonaiXyz));
        Assert.Equal([16], TensorLayout.SpatialFromZyx([16], AxisOrder.MonaiXyz));
    }

    [Theory]
    [InlineData("zyx", AxisOrder.Zyx)]
    [InlineData("Zyx", AxisOrder.Zyx)]
    [InlineData("monai-xyz", AxisOrder.MonaiXyz)]
    [InlineData("MonaiXyz", AxisOrder.MonaiXyz)]
    public void Parses_Cli_And_Enum_Spellings(string text, AxisOrder expected) =>
        Assert.Equal(expected, AxisOrders.Parse(text, "test"));

    [Fact]
    public void Unknown_Spelling_Names_Source_And_Value()
    {
        var e = Assert.Throws<ArgumentException>(() => AxisOrders.Parse("xzy", "--axis-order"));
        Assert.Contains("--axis-order", e.Message);
        Assert.Contains("'xzy'", e.Message);
    }
}
