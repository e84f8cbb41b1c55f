namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// One step of 2.5D patch pairs for the three D2D-CNNs, plain arrays (built on worker threads):
/// <see cref="Patches1"/>/<see cref="Patches2"/> [3 axes, B, 3, 42, 42]; <see cref="Offsets"/> [3, B, 3] the second
/// centre minus the first (x, y, z); <see cref="HeatOffsets"/> [3, B, 2] the heat map's (row, column) offsets;
/// <see cref="RegTargets"/> [3, B, 2] the REG2D targets; <see cref="Volumes"/> [3, B] the volume each pair came from.
/// </summary>
public sealed record ContextPairBatch(long Step, int BatchSize, float[] Patches1, float[] Patches2, float[] Offsets,
    float[] HeatOffsets, float[] RegTargets, int[] Volumes)
{
    public const int Axes = 3;

    public long[] PatchShape => [Axes, BatchSize, PatchOffsets.Planes, PatchOffsets.PlaneWidth, PatchOffsets.PlaneWidth];
}
