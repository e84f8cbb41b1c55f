namespace MedSeg.Core.Volumes;

/// <summary>
/// Value statistics of a volume: min, max and mean over finite values (NaN/∞ are counted apart), and
/// — when every finite value is an integer and there are at most <see cref="MaxLabels"/> distinct ones —
/// a label histogram. Float volumes qualify too, since label maps are often stored as float64.
/// </summary>
public sealed class VolumeSummary
{
    public const int MaxLabels = 256;

    public double Min { get; private init; }
    public double Max { get; private init; }
    public double Mean { get; private init; }
    public long FiniteCount { get; private init; }
    public long NonFiniteCount { get; private init; }

    /// <summary>Value → voxel count, ascending; null when values are not integers or too many distinct.</summary>
    public SortedDictionary<long, long>? Labels { get; private init; }

    /// <remarks>A volume with no finite values reports Min = Max = Mean = NaN.</remarks>
    public static VolumeSummary Of(Volume volume)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long finite = 0, nonFinite = 0;
        var counts = new Dictionary<long, long>();
        bool labelsPossible = true;
        for (long i = 0; i < volume.VoxelCount; i++)
        {
            double v = volume.GetDouble(i);
            if (!double.IsFinite(v)) { nonFinite++; continue; }
            finite++;
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
            if (!labelsPossible) continue;
            if (v != Math.Floor(v) || Math.Abs(v) > 1e15) { labelsPossible = false; continue; }
            long key = (long)v;
            if (counts.TryGetValue(key, out long c)) counts[key] = c + 1;
            else if (counts.Count >= MaxLabels) labelsPossible = false;
            else counts[key] = 1;
        }
        bool any = finite > 0;
        return new VolumeSummary
        {
            Min = any ? min : double.NaN,
            Max = any ? max : double.NaN,
            Mean = any ? sum / finite : double.NaN,
            FiniteCount = finite,
            NonFiniteCount = nonFinite,
            Labels = labelsPossible && any ? new SortedDictionary<long, long>(counts) : null,
        };
    }
}
