using MedSeg.Training.Data;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Methods;

public class BatchTensorsTests
{
    [Theory]
    [InlineData(AxisOrder.Zyx)]
    [InlineData(AxisOrder.MonaiXyz)]
    public void Spatial_Extras_Follow_The_Images_Axis_Order_And_Plain_Ones_Keep_Their_Shape(AxisOrder order)
    {
        var crop = new CropSize(X: 4, Y: 3, Z: 2); // every axis distinguishable
        var images = Enumerable.Range(0, 2 * 24).Select(i => (float)i).ToArray();
        var batch = new Batch(0, 2, crop, images, Labels: null)
        {
            Extras = new Dictionary<string, BatchArray>
            {
                ["same"] = BatchArray.Volume(images.ToArray(), 2, 1, 2, 3, 4),
                ["ids"] = BatchArray.Plain(new long[] { 5, 6 }, 2),
            },
        };
        using var scope = NewDisposeScope();
        var t = BatchTensors.From(batch, order, CPU);
        Assert.Null(t.Labels);
        Assert.Equal(t.Images.shape, t.Extra("same").shape);
        Assert.True(t.Images.eq(t.Extra("same")).all().item<bool>());
        Assert.Equal(order == AxisOrder.MonaiXyz ? new long[] { 2, 1, 4, 3, 2 } : [2, 1, 2, 3, 4], t.Images.shape);
        Assert.Equal(new long[] { 2 }, t.Extra("ids").shape);
        Assert.Equal(ScalarType.Int64, t.Extra("ids").dtype);
        Assert.Contains("has no array 'mask' (it has: same, ids)", Assert.Throws<KeyNotFoundException>(() => t.Extra("mask")).Message);
    }

    [Fact]
    public void Extra_Whose_Shape_Does_Not_Match_Its_Data_Is_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchArray.Volume(new float[10], 1, 1, 2, 2, 2));
        Assert.Contains("holds 8 values, but the data has 10", e.Message);
        Assert.Throws<ArgumentException>(() => BatchArray.Volume(new float[4], 2, 2));
    }
}
