namespace MedSeg.Core.ContextFeatures;

/// <summary>One step of Doersch cube pairs: <see cref="Cubes1"/>/<see cref="Cubes2"/> [B, 1, 25, 25, 25], <see cref="Labels"/> [B] (0..5).</summary>
public sealed record DoerschPairBatch(long Step, int BatchSize, float[] Cubes1, float[] Cubes2, long[] Labels, int[] Volumes)
{
    public long[] CubeShape => [BatchSize, 1, PatchOffsets.CubeWidth, PatchOffsets.CubeWidth, PatchOffsets.CubeWidth];
}
