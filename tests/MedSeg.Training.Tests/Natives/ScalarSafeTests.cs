using MedSeg.Training.Natives;
using MedSeg.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Natives;

/// <summary>
/// The scalar-safe arithmetic gives TorchSharp's operators' numbers, bit for bit, on awkward values, and keeps its
/// Scalars alive while other threads force collections (where the operators fail within about ten thousand calls).
/// </summary>
public class ScalarSafeTests
{
    private static Tensor Awkward(int seed)
    {
        var generator = new Generator((ulong)seed);
        var values = randn(64, generator: generator);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, -float.Epsilon,
            float.MaxValue, float.MinValue, 1f, 1f + 1.1920929e-7f, 1e-38f];
        values.narrow(0, 0, special.Length).copy_(tensor(special));
        return values;
    }

    private static int[] Bits(Tensor t) => [.. t.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)];

    public static TheoryData<string> Operations => ["plus", "minus", "times", "divided", "plus value", "subtracted from", "divided in place", "weighted", "at least", "power"];

    [Theory]
    [MemberData(nameof(Operations))]
    public void Same_numbers_as_the_operators(string operation)
    {
        using var scope = NewDisposeScope();
        var a = Awkward(1);
        var b = Awkward(2).flip(0);
        foreach (double s in new[] { 0.5, -3.0, 1e-5, 0.0, 1e30, double.NaN })
        {
            var (ours, theirs) = operation switch
            {
                "plus" => (a.Plus(b), a + b),
                "minus" => (a.Minus(b), a - b),
                "times" => (a.Times(s), a * s),
                "divided" => (a.DividedBy(s), a / s),
                "plus value" => (a.PlusValue(s), a + s),
                "subtracted from" => (a.SubtractedFrom(s), s - a),
                "divided in place" => (a.clone().DividedInPlaceBy(s), a.clone().div_(s)),
                "weighted" => (ScalarSafe.WeightedSum(s, a, 0.25, b), s * a + 0.25 * b),
                "at least" => (a.AtLeast(s), a.clamp_min(s)),
                "power" => (a.Power(s), a.pow(s)),
                _ => throw new ArgumentOutOfRangeException(nameof(operation)),
            };
            // Bitwise: NaN payloads and the sign of zero included.
            Assert.Equal(Bits(theirs), Bits(ours));
        }
    }

    [Theory]
    [InlineData(7, 1, 7)]
    [InlineData(10, 2, 5)]
    [InlineData(11, 3, 4)]
    [InlineData(96, 4, 24)]
    [InlineData(5, 4, 2)] // the last sample covers the tail
    [InlineData(1, 5, 1)]
    public void Nearest_sample_index_is_the_library_expression_and_stays_within_the_samples(long length, int stride, long samples)
    {
        using var scope = NewDisposeScope();
        var ours = MedSeg.Training.Evaluation.OneShot.OneShotKnnEvaluator.NearestSampleIndex(length, stride, samples, CPU);
        var theirs = arange(length, ScalarType.Int64).add(stride / 2).div(stride, rounding_mode: RoundingMode.floor).clamp_max(samples - 1);
        Assert.Equal(theirs.data<long>().ToArray(), ours.data<long>().ToArray());
        Assert.All(ours.data<long>().ToArray(), i => Assert.InRange(i, 0, samples - 1));
        var positions = Enumerable.Range(0, (int)length).ToArray();
        // Every position maps to the sample nearest to it (ties towards the later sample, as ⌊(i + s/2)/s⌋).
        Assert.All(positions, i => Assert.Equal(Math.Min(samples - 1, (i + stride / 2) / stride), ours[i].item<long>()));
    }

    [Fact]
    public void Range_and_comparisons_equal_the_library_forms()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(arange(-3.5, 4.5, 1.0, ScalarType.Float32).data<float>().ToArray(),
            ScalarSafe.Range(-3.5, 4.5, 1.0, ScalarType.Float32, CPU).data<float>().ToArray());
        var labels = tensor(new long[] { 0, 2, 1, 2, -1, 2 });
        Assert.Equal(labels.eq(2).data<bool>().ToArray(), labels.EqualTo(2).data<bool>().ToArray());
        Assert.Equal(labels.clamp_max(1).data<long>().ToArray(), labels.AtMost(1).data<long>().ToArray());
    }

    [Fact]
    public void Operations_hold_their_scalars_while_other_threads_collect()
    {
        using var a = randn(8);
        using var b = randn(8);
        using (new CollectionPressure())
        {
            for (int i = 0; i < 40_000; i++)
            {
                using var scope = NewDisposeScope();
                a.Plus(b);
                a.Minus(b);
                a.Times(0.5);
                a.DividedBy(3.0);
                a.PlusValue(1e-5);
                a.SubtractedFrom(1.0);
                ScalarSafe.WeightedSum(0.5, a, 0.5, b);
                a.AtLeast(-1).Power(2).EqualTo(0);
                MedSeg.Training.Evaluation.OneShot.OneShotKnnEvaluator.NearestSampleIndex(9, 2, 5, CPU).AtMost(3);
                ScalarSafe.Range(0, 4, 1, ScalarType.Float32, CPU);
            }
        }
        Assert.True(a.Plus(b).isfinite().all().item<bool>());
    }
}
