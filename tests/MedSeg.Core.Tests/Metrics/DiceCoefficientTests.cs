using MedSeg.Core.Metrics;

namespace MedSeg.Core.Tests.Metrics;

public class DiceCoefficientTests
{
    [Fact]
    public void Overlap_IsTwiceIntersectionOverSum() => Assert.Equal(2.0 * 800 / 2000, DiceCoefficient.FromCounts(800, 1000, 1000));

    [Fact]
    public void PredictionEmpty_IsZero() => Assert.Equal(0, DiceCoefficient.FromCounts(0, 0, 10));

    [Fact]
    public void TruthEmpty_IgnoreEmpty_IsNaN()
    {
        Assert.True(double.IsNaN(DiceCoefficient.FromCounts(0, 5, 0)));
        Assert.True(double.IsNaN(DiceCoefficient.FromCounts(0, 0, 0)));
    }

    [Fact]
    public void TruthEmpty_NotIgnored_OneWhenBothEmptyElseZero()
    {
        Assert.Equal(1, DiceCoefficient.FromCounts(0, 0, 0, ignoreEmpty: false));
        Assert.Equal(0, DiceCoefficient.FromCounts(0, 5, 0, ignoreEmpty: false));
    }

    [Fact]
    public void InconsistentCounts_Throw() => Assert.Throws<ArgumentException>(() => DiceCoefficient.FromCounts(6, 5, 10));
}
