namespace MedSeg.Training.Networks.Layers;

/// <summary>MONAI's <c>ensure_tuple_rep</c>: one value repeated, or exactly the expected count.</summary>
public static class Tuples
{
    public static long[] Repeat(IReadOnlyList<long> values, int count, string argument)
    {
        if (values.Count == 1) return Enumerable.Repeat(values[0], count).ToArray();
        if (values.Count == count) return values.ToArray();
        throw new ArgumentException($"{argument} needs 1 or {count} values, got {values.Count} ({string.Join(", ", values)}).");
    }
}
