using MedSeg.Training.Data;
using MedSeg.Training.Tests.Support;

namespace MedSeg.Training.Tests.Data;

public class BatchLoaderTests
{
    [Fact]
    public void Batches_Arrive_In_Step_Order_And_Depend_Only_On_Step()
    {
        var builder = new BatchBuilder(new BlobSource(5, 20, 3), batchSize: 3, CropSize.Cube(8), seed: 11);
        using var loader = new BatchLoader(builder.Build, firstStep: 4, endStep: 12, workers: 3, prefetch: 2);
        for (long step = 4; step < 12; step++)
        {
            var batch = loader.Take();
            Assert.Equal(step, batch.Step);
            var again = builder.Build(step);
            Assert.Equal(again.Images, batch.Images);
            Assert.Equal(again.Labels, batch.Labels);
        }
        Assert.Throws<InvalidOperationException>(() => loader.Take());
    }

    [Fact]
    public void Each_Epoch_Visits_Every_Sample_Once()
    {
        var order = new SampleOrder(seed: 3, sampleCount: 10, batchSize: 2);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = Enumerable.Range(epoch * 5, 5).SelectMany(s => new[] { order.SampleIndex(s, 0), order.SampleIndex(s, 1) }).OrderBy(i => i);
            Assert.Equal(Enumerable.Range(0, 10), seen);
        }
        Assert.NotEqual(Enumerable.Range(0, 5).Select(s => order.SampleIndex(s, 0)), Enumerable.Range(5, 5).Select(s => order.SampleIndex(s, 0)));
    }

    [Fact]
    public void Preparation_Error_Surfaces_At_Take()
    {
        var builder = new BatchBuilder(new BlobSource(2, 12, 3), batchSize: 1, CropSize.Cube(16), seed: 1);
        using var loader = new BatchLoader(builder.Build, 0, 5);
        var e = Assert.Throws<ArgumentException>(() => loader.Take());
        Assert.Contains("crop 16 larger than volume 12 along x", e.Message);
    }
}
