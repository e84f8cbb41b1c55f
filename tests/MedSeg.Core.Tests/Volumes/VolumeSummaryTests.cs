using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Volumes;

public class VolumeSummaryTests
{
    [Fact]
    public void IntegerValues_GiveMinMaxMeanAndHistogram()
    {
        var summary = VolumeSummary.Of(new Volume(2, 2, 2, new double[] { 0, 0, 0, 0, 2, 2, 5, -1 }));
        Assert.Equal((-1.0, 5.0, 1.0), (summary.Min, summary.Max, summary.Mean));
        Assert.Equal(new Dictionary<long, long> { [-1] = 1, [0] = 4, [2] = 2, [5] = 1 }, summary.Labels);
    }

    [Fact]
    public void FractionalValues_GiveNoHistogram()
    {
        Assert.Null(VolumeSummary.Of(new Volume(1, 1, 2, new float[] { 1, 1.5f })).Labels);
    }

    [Fact]
    public void MoreThan256DistinctIntegers_GiveNoHistogram()
    {
        var values = Enumerable.Range(0, 257).Select(i => (short)i).ToArray();
        Assert.Null(VolumeSummary.Of(new Volume(257, 1, 1, values)).Labels);
        Assert.Equal(256, VolumeSummary.Of(new Volume(256, 1, 1, values[..256])).Labels!.Count);
    }

    [Fact]
    public void NaN_IsCountedApart()
    {
        var summary = VolumeSummary.Of(new Volume(3, 1, 1, new float[] { float.NaN, 2, 4 }));
        Assert.Equal((2.0, 4.0, 3.0, 1L), (summary.Min, summary.Max, summary.Mean, summary.NonFiniteCount));
    }
}
