using static System.FormattableString;
using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.AvsDb;

/// <summary>Closed integer range [Min, Max], sampled uniformly like Python's random.randint.</summary>
public sealed record IntRange(int Min, int Max)
{
    public int Sample(DeterministicRandom rng) => rng.NextInt(Min, Max);

    public IntRange Scaled(double factor, int floor = 1) =>
        new(Math.Max(floor, (int)Math.Round(Min * factor)), Math.Max(floor, (int)Math.Round(Max * factor)));

    public override string ToString() => Invariant($"[{Min}, {Max}]");
}

/// <summary>Closed real range [Min, Max], sampled uniformly.</summary>
public sealed record DoubleRange(double Min, double Max)
{
    public double Sample(DeterministicRandom rng) => Min == Max ? Min : rng.NextDouble(Min, Max);

    public static DoubleRange Fixed(double value) => new(value, value);

    public override string ToString() => Invariant($"[{Min}, {Max}]");
}
