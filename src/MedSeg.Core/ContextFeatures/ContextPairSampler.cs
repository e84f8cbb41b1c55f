using MedSeg.Core.Generators;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// Draws the 2.5D patch pairs of the HEATMAP / REG2D tasks (ssl-methods-reference §3): per D2D-CNN and batch item a
/// volume (uniform over ALL volumes, not the notebook's first 8), a first centre ~ U(−0.3, 0.3)³, and a second centre
/// shifted ±U(0.125, 0.25) along the fixed axis and ±U(min, max) along the other two (the curriculum of the step).
/// Each batch is a pure function of (seed, step).
/// </summary>
public sealed class ContextPairSampler
{
    private readonly Func<int, SamplingVolume> _volume;
    private readonly int _volumeCount;
    private readonly ContextPairSamplerSettings _s;
    private readonly ContextAxisLayout[] _layouts;

    /// <param name="volume">Volume i (0 ≤ i &lt; <paramref name="volumeCount"/>), z-normalised; called from worker threads.</param>
    public ContextPairSampler(Func<int, SamplingVolume> volume, int volumeCount, ContextPairSamplerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(settings);
        if (volumeCount < 1) throw new ArgumentException($"At least one volume is needed, got {volumeCount}.", nameof(volumeCount));
        var problems = settings.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        _volume = volume;
        _volumeCount = volumeCount;
        _s = settings;
        _layouts = [.. Enumerable.Range(0, ContextPairBatch.Axes).Select(a => ContextAxisLayout.For(a, settings.Mapping))];
    }

    public ContextPairBatch Build(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"Step must be ≥ 0, got {step}.");
        int b = _s.BatchSize;
        int n = PatchOffsets.PlaneSamples;
        var patches1 = new float[ContextPairBatch.Axes * b * n];
        var patches2 = new float[patches1.Length];
        var offsets = new float[ContextPairBatch.Axes * b * 3];
        var heat = new float[ContextPairBatch.Axes * b * 2];
        var reg = new float[heat.Length];
        var volumes = new int[ContextPairBatch.Axes * b];
        var (min, max) = _s.Curriculum.At(step, _s.TotalSteps);
        var centre = new double[3];
        var shift = new double[3];
        for (int axis = 0; axis < ContextPairBatch.Axes; axis++)
        {
            var layout = _layouts[axis];
            var rng = DeterministicRandom.ForStream(unchecked((ulong)_s.Seed * 31 + (ulong)axis), step);
            var grid = PatchOffsets.Plane(axis);
            for (int i = 0; i < b; i++)
            {
                int item = axis * b + i;
                int v = rng.NextInt(0, _volumeCount - 1);
                volumes[item] = v;
                for (int c = 0; c < 3; c++) centre[c] = rng.NextDouble(-_s.CentreRange, _s.CentreRange);
                for (int c = 0; c < 3; c++)
                {
                    double magnitude = c == layout.Fixed ? rng.NextDouble(_s.FixedMin, _s.FixedMax) : rng.NextDouble(min, max);
                    shift[c] = rng.NextInt(0, 1) == 0 ? magnitude : -magnitude;
                }
                var volume = _volume(v);
                PatchOffsets.Sample(volume, centre[0], centre[1], centre[2], grid, patches1.AsSpan(item * n, n), _s.AlignCorners);
                PatchOffsets.Sample(volume, centre[0] + shift[0], centre[1] + shift[1], centre[2] + shift[2], grid,
                    patches2.AsSpan(item * n, n), _s.AlignCorners);
                for (int c = 0; c < 3; c++) offsets[item * 3 + c] = (float)shift[c];
                heat[item * 2] = (float)shift[layout.HeatRows];
                heat[item * 2 + 1] = (float)shift[layout.HeatColumns];
                reg[item * 2] = (float)shift[layout.Reg0];
                reg[item * 2 + 1] = (float)shift[layout.Reg1];
            }
        }
        return new ContextPairBatch(step, b, patches1, patches2, offsets, heat, reg, volumes);
    }
}

/// <summary>Geometry and randomness of <see cref="ContextPairSampler"/>; defaults are the paper's.</summary>
public sealed record ContextPairSamplerSettings
{
    public long Seed { get; init; }
    public int BatchSize { get; init; } = 8;
    /// <summary>Steps of the whole run (the curriculum runs from step 0 to TotalSteps − 1).</summary>
    public long TotalSteps { get; init; } = 1;
    public ContextAxisMapping Mapping { get; init; } = ContextAxisMapping.Paper;
    public ContextCurriculum Curriculum { get; init; } = new();
    public double CentreRange { get; init; } = 0.3;
    public double FixedMin { get; init; } = 0.125;
    public double FixedMax { get; init; } = 0.25;
    public bool AlignCorners { get; init; } = true;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (BatchSize is < 1 or > 1024) p.Add($"Batch size must be 1..1024, got {BatchSize}.");
        if (TotalSteps < 1) p.Add($"Total steps must be ≥ 1, got {TotalSteps}.");
        if (!(CentreRange is >= 0 and <= 1)) p.Add($"Centre range must be 0..1, got {CentreRange}.");
        if (!(FixedMin >= 0 && FixedMin <= FixedMax && FixedMax <= 2)) p.Add($"Fixed offset range must satisfy 0 ≤ min ≤ max ≤ 2, got [{FixedMin}, {FixedMax}].");
        p.AddRange(Curriculum.Problems());
        return p;
    }
}
