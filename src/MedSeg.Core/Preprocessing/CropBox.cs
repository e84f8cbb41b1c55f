namespace MedSeg.Core.Preprocessing;

/// <summary>A voxel box [Start, End) per axis (x, y, z), End exclusive.</summary>
public sealed record CropBox(int[] Start, int[] End)
{
    public int[] Size => [End[0] - Start[0], End[1] - Start[1], End[2] - Start[2]];

    public override string ToString() =>
        $"[{Start[0]}..{End[0]}) × [{Start[1]}..{End[1]}) × [{Start[2]}..{End[2]})";
}
