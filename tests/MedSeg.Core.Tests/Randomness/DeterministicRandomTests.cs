using MedSeg.Core.Randomness;

namespace MedSeg.Core.Tests.Randomness;

public class DeterministicRandomTests
{
    [Fact]
    public void Streams_are_reproducible_and_distinct()
    {
        var a = DeterministicRandom.ForStream(42, 3);
        var b = DeterministicRandom.ForStream(42, 3);
        var c = DeterministicRandom.ForStream(42, 4);
        var xa = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(xa, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()));
        Assert.NotEqual(xa, Enumerable.Range(0, 8).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void NextInt_covers_the_inclusive_range_uniformly()
    {
        var rng = new DeterministicRandom(1);
        var counts = new int[5];
        for (int i = 0; i < 50_000; i++) counts[rng.NextInt(3, 7) - 3]++;
        Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000));
        double mean = Enumerable.Range(0, 20_000).Select(_ => rng.NextGaussian()).Average();
        Assert.InRange(mean, -0.05, 0.05);
    }
}
