using MedSeg.Core.Metrics;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Metrics;

public class PredictionComparisonTests
{
    private static Volume Bytes(params byte[] v) => new(v.Length, 1, 1, v);

    [Fact]
    public void Build_MarksCorrectFalsePositiveAndFalseNegative()
    {
        var prediction = Bytes(0, 1, 1, 0, 2, 2);
        var label = Bytes(0, 1, 0, 1, 1, 2);
        var map = PredictionComparison.Build(prediction, label).As<byte>();
        // bg-agree, correct, FP, FN (missed), FN (wrong class takes FN precedence), correct
        Assert.Equal(new byte[] { 0, 1, 2, 3, 3, 1 }, map);
    }

    [Fact]
    public void Build_IgnoresClassesOutsideTheGivenSet()
    {
        var map = PredictionComparison.Build(Bytes(2, 1, 0), Bytes(0, 2, 1), classes: [1]).As<byte>();
        Assert.Equal(new byte[] { 0, 2, 3 }, map);
    }

    [Fact]
    public void Build_KeepsTheLabelGrid()
    {
        var affine = new double[] { 2, 0, 0, 5, 0, 2, 0, 6, 0, 0, 2, 7, 0, 0, 0, 1 };
        var label = new Volume(2, 1, 1, new byte[] { 1, 0 }, [2, 2, 2], affine);
        var prediction = new Volume(2, 1, 1, new float[] { 1, 1 }, [2, 2, 2], affine);
        var map = PredictionComparison.Build(prediction, label);
        Assert.Equal(VoxelType.UInt8, map.Type);
        Assert.Equal(affine, map.Affine);
        Assert.Equal(new byte[] { 1, 2 }, map.As<byte>());
    }

    [Fact]
    public void Build_RejectsShapeAndAffineMismatch()
    {
        var shape = Assert.Throws<SegmentationMismatchException>(() => PredictionComparison.Build(Bytes(0, 1), Bytes(0, 1, 0)));
        Assert.Contains("prediction", shape.Message);
        var shifted = Volume.DiagonalAffine([1, 1, 1]);
        shifted[3] = 10;
        var moved = new Volume(2, 1, 1, new byte[] { 0, 1 }, [1, 1, 1], shifted);
        var affine = Assert.Throws<SegmentationMismatchException>(() => PredictionComparison.Build(moved, Bytes(0, 1)));
        Assert.Contains("affine", affine.Message);
    }
}
